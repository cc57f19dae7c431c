import hashlib, hmac, zlib
msg = b"The quick brown fox jumps over the lazy dog"
print(hashlib.md5(msg).hexdigest())
print(hashlib.sha1(msg).hexdigest())
print(hashlib.sha256(msg).hexdigest())
print(hashlib.blake2b(msg, digest_size=16).hexdigest())
h = hashlib.sha256()
for chunk in [b"The quick ", b"brown fox jumps over the lazy dog"]:
    h.update(chunk)
print(h.hexdigest() == hashlib.sha256(msg).hexdigest())
print(hmac.new(b"key", msg, "sha256").hexdigest())
print(zlib.crc32(msg), zlib.adler32(msg))
