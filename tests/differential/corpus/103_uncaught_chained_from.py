import json
def parse_config(text):
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise RuntimeError("configuration is not valid JSON") from exc
print(parse_config('{"ok": true}'))
parse_config("{oops}")
