import asyncio
async def greet(name, delay):
    await asyncio.sleep(delay)
    return f"hello {name}"
async def main():
    print(await greet("first", 0.01))
    task = asyncio.create_task(greet("task", 0.01))
    print(await task)
    print(task.done(), asyncio.iscoroutinefunction(greet))
print(asyncio.run(main()))
