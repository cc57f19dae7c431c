import base64, binascii
raw = "Hello, Wörld! ✓".encode()
b64 = base64.b64encode(raw)
print(b64, base64.b64decode(b64).decode())
print(base64.urlsafe_b64encode(b"\xfb\xff\xfe"), base64.b32encode(b"abc"), base64.b16encode(b"hi"))
print(binascii.hexlify(b"\x00\xff\x10"), bytes.fromhex("deadbeef"), b"\x01\x02".hex(":"))
import zlib
packed = zlib.compress(b"a" * 1000)
print(len(packed) < 50, len(zlib.decompress(packed)))
