from multiprocessing import Process, Pipe
def child(conn):
    msg = conn.recv()
    conn.send(msg.upper())
    conn.close()
if __name__ == "__main__":
    parent, kid = Pipe()
    p = Process(target=child, args=(kid,))
    p.start()
    parent.send("hello from parent")
    print(parent.recv())
    p.join()
    print("exitcode", p.exitcode)
