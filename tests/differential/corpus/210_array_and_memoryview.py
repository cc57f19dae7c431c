from array import array
a = array("i", [1, 2, 3])
a.append(4)
print(a, a.itemsize, a.tolist(), sum(a))
m = memoryview(bytearray(b"hello"))
m[0] = ord("J")
print(bytes(m), m.nbytes, m[1:3].tobytes())
ba = bytearray(b"abc")
ba.extend(b"def"); ba[0] = 65
print(ba, ba.decode(), bytes(ba).upper())
