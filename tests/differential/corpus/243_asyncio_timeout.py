import asyncio
async def slow():
    await asyncio.sleep(5)
async def quick():
    await asyncio.sleep(0.01)
    return "quick done"
async def main():
    try:
        await asyncio.wait_for(slow(), timeout=0.05)
    except asyncio.TimeoutError:
        print("slow() timed out")
    print(await asyncio.wait_for(quick(), timeout=1))
    t = asyncio.create_task(slow())
    await asyncio.sleep(0.01)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("task cancelled", t.cancelled())
    sem = asyncio.Semaphore(2)
    order = []
    async def limited(i):
        async with sem:
            order.append(i)
            await asyncio.sleep(0.01)
    await asyncio.gather(*(limited(i) for i in range(5)))
    print(order)
asyncio.run(main())
