import sys
print("header via print")
sys.stdout.buffer.write(b"raw bytes via sys.stdout.buffer\n")
print("footer via print")
sys.stdout.write("via sys.stdout.write\n")
sys.stdout.buffer.write(b"more raw bytes\n")
