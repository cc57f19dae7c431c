import asyncio
async def producer(q, n):
    for i in range(n):
        await q.put(i)
        await asyncio.sleep(0.001)
    await q.put(None)
async def consumer(q, out):
    while (item := await q.get()) is not None:
        out.append(item * 2)
        q.task_done()
async def main():
    q = asyncio.Queue(maxsize=3)
    out = []
    await asyncio.gather(producer(q, 10), consumer(q, out))
    print(out)
asyncio.run(main())
