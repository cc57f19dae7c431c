import struct
data = struct.pack("<hIf", -2, 3000000000, 1.5)
print(data, len(data), struct.calcsize("<hIf"), struct.calcsize("hIf"))
print(struct.unpack("<hIf", data))
header = struct.pack(">4sHH", b"PNG!", 640, 480)
print(header.hex(), struct.unpack(">4sHH", header))
print(list(struct.iter_unpack("<H", b"\x01\x00\x02\x00\x03\x00")))
