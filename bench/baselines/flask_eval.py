"""The original design from the source documents, kept as a baseline.

A small Flask app whose /py/eval runs each snippet with
subprocess.run([python3, "-c", code]): no sandbox at all, code in argv, one
process per request. bench/run.sh starts it next to playground-backend and
measures both in the same run.

    /usr/bin/python3 bench/baselines/flask_eval.py --port 6100
"""
import argparse
import subprocess

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/py/eval")
def evaluate():
    body = request.get_json(force=True)
    result = subprocess.run(
        ["/usr/bin/python3", "-c", body["code"]],
        input=body.get("stdin", ""),
        capture_output=True,
        text=True,
        timeout=5,
    )
    return jsonify(stdout=result.stdout, stderr=result.stderr, exit_code=result.returncode)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=6100)
    args = parser.parse_args()
    app.run(host="127.0.0.1", port=args.port, threaded=True)
