# Reads Python source on stdin and writes it, compiled as the file named by
# its one argument, to stdout as an unchecked hash-based pyc (PEP 552: loaded
# without looking at the source). Run once per keeper (python_startup.h).
import sys
import importlib.util, importlib._bootstrap_external as external
data = sys.stdin.buffer.read()
code = compile(data, sys.argv[1], "exec", dont_inherit=True)
sys.stdout.buffer.write(external._code_to_hash_pyc(
    code, importlib.util.source_hash(data), False))
