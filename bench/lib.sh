# Shared by the benchmark scripts (bench/run.sh, frontend*.sh, data.sh):
# the processes they start, ports, readiness and the JSON figures that
# playground-bench prints. Sourced, after `cd` to the repository root.

# Every process a script starts goes in here; stop_started ends them all
# (SIGTERM, then waits), as the scripts' EXIT trap.
pids=()
stop_started() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}

# A loopback port nothing listens on now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# Waits up to 10 s for a URL to answer 2xx.
wait_http() { for _ in $(seq 100); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done; return 1; }
# field JSON NAME: one field of a JSON object.
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])['$2'])" "$1"; }
# num JSON DECIMALS NAME: a numeric field, rounded.
num() { printf '%.*f' "$2" "$(field "$1" "$3")"; }
# ratio EXPRESSION: a Python expression's value with two decimals.
ratio() { python3 -c "print(f'{$1:.2f}')"; }

# The stub upstreams and nginx references of the frontend's benchmarks
# (frontend.sh, frontend_profile.sh, frontend_cpu.sh). Each nginx is
# private: its files under the script's $tmp, in the foreground, stopped
# with the rest.
#
# nginx_run NAME WORKERS SERVERS: one with SERVERS as its http block's
# servers (pid in $nginx_pid). The idle-connection test holds 10,000 client
# connections: hence the descriptor and connection limits, and keep-alive
# longer than it takes.
nginx_run() {
  cat > "$tmp/$1.conf" <<EOF
daemon off;
worker_processes $2;
worker_rlimit_nofile 30000;
pid $tmp/$1.pid;
error_log $tmp/$1.err warn;
events { worker_connections 20000; }
http {
  access_log off;
  keepalive_timeout 120s;
  keepalive_requests 100000;
  client_body_temp_path $tmp/$1.body;
  proxy_temp_path $tmp/$1.proxy;
  fastcgi_temp_path $tmp/$1.fastcgi;
  uwsgi_temp_path $tmp/$1.uwsgi;
  scgi_temp_path $tmp/$1.scgi;
  $3
}
EOF
  # -e: the error log before the configuration is read (not /var/log/nginx).
  nginx -p "$tmp" -e "$tmp/$1.err" -c "$tmp/$1.conf" &
  nginx_pid=$!
  pids+=("$nginx_pid")
}
# The fixed eval result a stub answers on every path (a frontend's /readyz
# health checks too), and stub_server PORT: a stub's server block.
stub_body='{"stdout":"hello\n","stderr":"","exit_code":0,"status":"ok","time_ms":0.1,"cpu_ms":0.1,"memory_kb":1,"truncated":false}'
stub_server() {
  local conf=${stub_body//\\/\\\\}  # nginx reads \n in a string as a newline
  echo "server { listen 127.0.0.1:$1; location / { default_type application/json; return 200 '$conf'; } }"
}
# start_stubs: the two stub upstreams, in one private nginx; their ports
# in $u1 and $u2.
start_stubs() {
  u1=$(free_port)
  u2=$(free_port)
  nginx_run stubs 1 "$(stub_server "$u1") $(stub_server "$u2")"
}
# proxy_servers PORT UPSTREAM_PORT...: nginx as a reverse proxy on PORT,
# POST /python round-robin to the stubs' /py/eval over kept-alive
# connections, and GET /healthz. No access log, unless $access_log names a
# file: then a line per request in the combined format, buffered (64 KB or a
# second), as the frontend writes its request log by batch.
proxy_servers() {
  local port=$1 servers="" u log="access_log off;"
  for u in "${@:2}"; do servers+="server 127.0.0.1:$u; "; done
  [ -z "${access_log:-}" ] || log="access_log $access_log combined buffer=64k flush=1s;"
  cat <<EOF
upstream stubs { ${servers}keepalive 64; }
  server {
    listen 127.0.0.1:$port;
    $log
    location = /python {
      proxy_pass http://stubs/py/eval;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
    location = /healthz { default_type application/json; return 200 '{"status":"ok"}'; }
  }
EOF
}
# write_post_lua FILE: wrk's script for the frontend benchmarks' request,
# POST /python with print("hello") as JSON.
write_post_lua() {
  cat >"$1" <<'EOF'
wrk.method = "POST"
wrk.body = '{"code":"print(\\"hello\\")"}'
wrk.headers["Content-Type"] = "application/json"
EOF
}
