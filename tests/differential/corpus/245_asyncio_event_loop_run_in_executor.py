import asyncio
def blocking(x):
    return sum(range(x))
async def main():
    loop = asyncio.get_running_loop()
    r = await loop.run_in_executor(None, blocking, 1000)
    print(r)
    fut = loop.create_future()
    loop.call_later(0.01, fut.set_result, "future done")
    print(await fut)
    async def agen():
        for i in range(3):
            await asyncio.sleep(0)
            yield i
    print([x async for x in agen()])
asyncio.run(main())
