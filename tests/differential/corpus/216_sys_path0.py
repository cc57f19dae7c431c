import sys, os
print(sys.path[0])
print(sys.path[0] == os.getcwd() == os.path.dirname(__file__))
print(sys.executable, sys.version_info[:2], sys.platform, sys.byteorder)
print(sys.maxsize, sys.float_info.dig, sys.int_info.bits_per_digit)
print(sys.getdefaultencoding(), sys.getfilesystemencoding())
