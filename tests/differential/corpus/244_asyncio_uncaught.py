import asyncio
async def step(n):
    await asyncio.sleep(0.01)
    if n == 2:
        raise RuntimeError(f"step {n} failed")
    return n
async def main():
    for n in range(4):
        print("step", await step(n))
asyncio.run(main())
