// Metrics: counters, gauges and histograms rendered as Prometheus text.
//
//   Registry registry;
//   auto& requests = registry.counter_family(
//       "playground_http_requests_total", "HTTP requests.", {"route", "code"});
//   requests.with({"/py/eval", "200"}).inc();
//   auto& running = registry.gauge("playground_sandboxes_running", "...");
//   running.add(1);
//   std::string body = registry.render();  // GET /metrics
//
// Metric objects live as long as the registry and are safe to update from
// any thread; references handed out stay valid.
#pragma once

#include <algorithm>
#include <atomic>
#include <deque>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace playground::metrics {

class Counter {
 public:
  void inc(double by = 1.0);
  double value() const { return value_.load(); }

 private:
  std::atomic<double> value_{0.0};
};

class Gauge {
 public:
  void set(double v) { value_.store(v); }
  void add(double by);
  double value() const { return value_.load(); }

 private:
  std::atomic<double> value_{0.0};
};

class Histogram {
 public:
  explicit Histogram(std::vector<double> upper_bounds);
  void observe(double v);

  // Snapshot for rendering: cumulative counts per bucket, then +Inf.
  struct Snapshot {
    std::vector<double> bounds;
    std::vector<uint64_t> cumulative;
    uint64_t count = 0;
    double sum = 0;
  };
  Snapshot snapshot() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // bounds_.size() + 1
  std::atomic<double> sum_{0.0};
};

class CounterFamily {
 public:
  explicit CounterFamily(std::vector<std::string> label_names)
      : label_names_(std::move(label_names)) {}
  // The counter of these label values (made on first use). A lookup
  // allocates nothing: it runs for every request.
  Counter& with(std::initializer_list<std::string_view> label_values);

 private:
  friend class Registry;
  // Orders label values, stored or looked up.
  struct LabelsLess {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return std::lexicographical_compare(
          a.begin(), a.end(), b.begin(), b.end(),
          [](std::string_view x, std::string_view y) { return x < y; });
    }
  };
  std::vector<std::string> label_names_;
  mutable std::mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<Counter>, LabelsLess>
      children_;
};

class Registry {
 public:
  CounterFamily& counter_family(std::string name, std::string help,
                                std::vector<std::string> label_names);
  Counter& counter(std::string name, std::string help);
  Gauge& gauge(std::string name, std::string help);
  // A gauge read when /metrics is scraped, for values owned elsewhere.
  void gauge_callback(std::string name, std::string help,
                      std::function<double()> read);
  // Labelled gauges read when /metrics is scraped: `read` returns each
  // child's label values (in `label_names` order) and value.
  using LabelledValues =
      std::vector<std::pair<std::vector<std::string>, double>>;
  void gauge_family_callback(std::string name, std::string help,
                             std::vector<std::string> label_names,
                             std::function<LabelledValues()> read);
  Histogram& histogram(std::string name, std::string help,
                       std::vector<double> upper_bounds);

  std::string render() const;

 private:
  struct Entry {
    std::string name;
    std::string help;
    std::string type;
    std::unique_ptr<CounterFamily> family;
    std::unique_ptr<Counter> counter;
    std::unique_ptr<Gauge> gauge;
    std::function<double()> callback;
    std::vector<std::string> callback_labels;
    std::function<LabelledValues()> family_callback;
    std::unique_ptr<Histogram> histogram;
  };
  mutable std::mutex mu_;
  std::deque<Entry> entries_;
};

}  // namespace playground::metrics
