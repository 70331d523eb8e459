#!/usr/bin/env bash
# The main job, from a fresh clone: fetch the default model, build, start `jobmatch serve` on the
# embedded store, load the demo data and print ranked recommendations. The server keeps running.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/jobmatch/target}"
listen="${JOBMATCH_LISTEN:-127.0.0.1:50051}"
console="${JOBMATCH_CONSOLE_LISTEN:-127.0.0.1:8080}"
server="http://$listen"
data_dir="${JOBMATCH_DATA_DIR:-./data/demo}"
model="${JOBMATCH_MODEL:-./models/multilingual-e5-small}"

bash scripts/fetch-model.sh
echo "building jobmatch (the first build takes a while: candle, Qdrant and tonic compile from source) ..."
cargo build --locked --bin jobmatch
bin="$CARGO_TARGET_DIR/debug/jobmatch"

# Authentication is on: the demo makes a platform and an admin token once, keeps them in
# $data_dir/tokens.secret (mode 600) and gives the server only their SHA-256 (tokens.toml).
mkdir -p "$data_dir"
secret="$data_dir/tokens.secret"
if [ ! -s "$secret" ]; then
  umask 077
  printf 'platform=%s\nadmin=%s\n' "$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
    "$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$secret"
fi
# A counsellor of the 경기도 centre (sido 41) for the web console; added to older secrets too.
if ! grep -q '^counsellor=' "$secret"; then
  printf 'counsellor=%s\n' "$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" >>"$secret"
fi
platform_token="$(sed -n 's/^platform=//p' "$secret")"
admin_token="$(sed -n 's/^admin=//p' "$secret")"
counsellor_token="$(sed -n 's/^counsellor=//p' "$secret")"
cat >"$data_dir/tokens.toml" <<TOML
[[tokens]]
name = "demo-platform"
role = "platform"
sha256 = "$(printf '%s' "$platform_token" | "$bin" auth hash-token)"

[[tokens]]
name = "demo-admin"
role = "admin"
sha256 = "$(printf '%s' "$admin_token" | "$bin" auth hash-token)"

[[tokens]]
name = "gyeonggi-counsellor"
role = "counsellor"
regions = ["41"]
sha256 = "$(printf '%s' "$counsellor_token" | "$bin" auth hash-token)"
TOML
export JOBMATCH_TOKEN="$platform_token"

if "$bin" health --server "$server" >/dev/null 2>&1; then
  echo "a jobmatch server already answers on $listen; using it"
else
  log="$data_dir/server.log"
  nohup "$bin" serve --listen "$listen" --console-listen "$console" --data-dir "$data_dir" \
    --model "$model" --auth-tokens "$data_dir/tokens.toml" >"$log" 2>&1 &
  echo $! >"$data_dir/server.pid"
  echo "started jobmatch serve (pid $(cat "$data_dir/server.pid"), log $log)"
  "$bin" health --server "$server" --wait-secs 120
fi

"$bin" ingest --server "$server" --postings demo/postings.jsonl --seekers demo/seekers.jsonl
echo
"$bin" recommend --server "$server" --posting p002 --top-k 8
echo
"$bin" recommend --server "$server" --seeker s003 --top-k 5
echo
echo "Shortlists for all postings in 경기도, each seeker on at most one list:"
"$bin" match-region --server "$server" --region 경기도 --k 2 --max-lists 1 --ignore-seeker-commute
echo
echo "A training cohort placed into partner companies' postings (each trainee once, within openings):"
"$bin" place-cohort --server "$server" --seekers demo/cohort-seekers.txt --companies demo/cohort-companies.txt
echo
# The centres' other services on the same engine (see "Centre services" in README.md).
"$bin" advise-posting --server "$server" --file demo/draft-posting.json
echo
# The interest inventory (a Holland RIASEC short form): s001's answers scored and kept with
# their record; advise-seeker then names the fitting job families with postings within reach.
"$bin" assess --server "$server" --seeker s001 --answers demo/interests-s001.tsv
echo
"$bin" advise-seeker --server "$server" --seeker s001
echo
"$bin" programmes --server "$server" --seeker s001 --posting p001
echo
# Accountability (see README): who read s001's data so far (admin only), then the exposure audit:
# per group of seekers, how often the qualified ones reach each posting's top 5.
JOBMATCH_TOKEN="$admin_token" "$bin" access-log --server "$server" --seeker s001
echo
"$bin" audit --server "$server" --k 5
cat <<MSG

The server is still running on $listen (data in $data_dir), with authentication on.

Counsellors' console: http://$console/
  sign in with the 경기도 centre's counsellor token: $counsellor_token
  (try posting p001, the welder in 화성시; 울산's p002 is outside this counsellor's region)

Client commands need a token: the demo's are in $secret.
  token:   export JOBMATCH_TOKEN=\$(sed -n 's/^platform=//p' $secret)
  more:    $bin recommend --server $server --posting p001 --semantic-weight 1 --geo-weight 0
  stop:    kill \$(cat $data_dir/server.pid)
  restart: $bin serve --listen $listen --console-listen $console --data-dir $data_dir --model $model --auth-tokens $data_dir/tokens.toml
MSG
