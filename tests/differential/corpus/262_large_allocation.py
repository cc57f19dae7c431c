data = bytearray(400 * 1024 * 1024)
print("allocated and zeroed", len(data) // (1024 * 1024), "MiB")
