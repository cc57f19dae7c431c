import tempfile, os
print(tempfile.gettempdir())
with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "scratch.txt")
    with open(path, "w") as f:
        f.write("temporary data")
    print(os.path.dirname(d) == tempfile.gettempdir(), os.listdir(d))
    print(open(path).read())
print(os.path.exists(d))
with tempfile.NamedTemporaryFile("w+", suffix=".txt") as tf:
    tf.write("hello temp")
    tf.seek(0)
    print(tf.read(), tf.name.endswith(".txt"), os.path.dirname(tf.name))
with tempfile.TemporaryFile() as t:
    t.write(b"abc")
    t.seek(0)
    print(t.read())
print(sorted(os.listdir(".")))
