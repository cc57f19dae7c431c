// The coroutine type of every asynchronous function, bound to the
// io_context's own executor.
//
//   Task<int> answer() { co_return 42; }
//   auto [ec] = co_await timer.async_wait(use_task_nothrow);
//
// asio::awaitable's default executor is any_io_executor, whose type erasure
// is paid at each step of each operation: copying it into the handler,
// tracking work through it, dispatching the completion through it. Every
// loop here is an io_context, so its concrete executor says the same at no
// cost (counted: see docs/benchmarks.md).
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/basic_waitable_timer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

namespace playground {

using Executor = boost::asio::io_context::executor_type;

template <typename T = void>
using Task = boost::asio::awaitable<T, Executor>;

// An operation awaited in a Task: its error thrown as system_error.
inline constexpr boost::asio::use_awaitable_t<Executor> use_task;
// An operation awaited in a Task: its results as a tuple, the error code
// first, nothing thrown.
inline constexpr auto use_task_nothrow = boost::asio::as_tuple(use_task);

// A steady-clock timer on a loop's own executor.
using Timer = boost::asio::basic_waitable_timer<
    std::chrono::steady_clock,
    boost::asio::wait_traits<std::chrono::steady_clock>, Executor>;

}  // namespace playground
