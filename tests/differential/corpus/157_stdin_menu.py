stack = []
while True:
    try:
        cmd = input("> ").strip()
    except EOFError:
        print("bye")
        break
    if cmd.startswith("push "):
        stack.append(int(cmd[5:]))
        print("ok")
    elif cmd == "pop":
        print(stack.pop() if stack else "empty")
    elif cmd == "show":
        print(stack)
    elif cmd == "quit":
        print("quitting")
        break
    else:
        print(f"unknown command {cmd!r}")
print("final", stack)
