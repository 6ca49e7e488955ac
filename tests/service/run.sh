#!/usr/bin/env bash
# The centre service under its own system account, and its clients under another, on this machine:
# the service's account owns the data directory; the client's account can neither read nor write a
# byte of it, cannot open the database itself, and yet works through the service — as the accounts it
# signs in as, with every permission check (another learner's item is not_found). The database is
# encrypted and no evidence text is found anywhere under the directory. The systemd unit we ship is
# checked with `systemd-analyze verify`. Needs root (or sudo) to make the two accounts; prints TAP.
#
#   bash tests/service/run.sh        (after `cargo build -p evidence-cli`)
set -euo pipefail
cd "$(dirname "$0")/../.."

as_root=""
[ "$(id -u)" -ne 0 ] && as_root="sudo"
SERVICE_USER=evidence-tracker
CLIENT_USER=et-desk
WORK=/tmp/evidence-service-test
DATA=$WORK/data
SOCKET=$WORK/run/service.sock
PASSWORD='a long enough password'
SECRET='asthma inhaler kept in the office'

failures=0
step=0
check() { # check "what" command...
  local what=$1; shift
  step=$((step + 1))
  if "$@" >/dev/null 2>&1; then echo "ok $step - $what"; else echo "not ok $step - $what"; failures=$((failures + 1)); fi
}
refuse() { # refuse "what" command...: the command must fail
  local what=$1; shift
  step=$((step + 1))
  if "$@" >/dev/null 2>&1; then echo "not ok $step - $what (it succeeded)"; failures=$((failures + 1)); else echo "ok $step - $what"; fi
}
says() { # says "what" "needle" command...: the command's output (both streams) contains needle
  local what=$1 needle=$2; shift 2
  step=$((step + 1))
  local said
  said=$("$@" 2>&1 || true)
  if grep -qF -- "$needle" <<<"$said"; then echo "ok $step - $what"; else echo "not ok $step - $what: $said"; failures=$((failures + 1)); fi
}

for user in "$SERVICE_USER" "$CLIENT_USER"; do
  if ! id "$user" >/dev/null 2>&1; then
    case $user in
      "$SERVICE_USER") $as_root useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$user" ;;
      *) $as_root useradd --no-create-home --home-dir /nonexistent --shell /bin/sh "$user" ;;
    esac
  fi
done

# The binary where both accounts may run it (the build tree may sit in a private home).
$as_root rm -rf "$WORK"
$as_root mkdir -p "$WORK/bin" "$WORK/run" "$DATA"
$as_root install -m 0755 target/debug/evidence "$WORK/bin/evidence"
$as_root chown "$SERVICE_USER:" "$DATA" "$WORK/run"
$as_root chmod 0700 "$DATA"
$as_root chmod 0755 "$WORK" "$WORK/run"
EVIDENCE=$WORK/bin/evidence

as_service() { $as_root runuser -u "$SERVICE_USER" -- env -i PATH=/usr/bin:/bin HOME=/nonexistent "$@"; }
as_client() { $as_root runuser -u "$CLIENT_USER" -- env -i PATH=/usr/bin:/bin HOME=/nonexistent "$@"; }
admin() { as_service EVIDENCE_USER=admin EVIDENCE_PASSWORD="$PASSWORD" EVIDENCE_NEW_PASSWORD="$PASSWORD" "$EVIDENCE" --data-dir "$DATA" "$@"; }
client() { # client USER args...: the CLI as the client account, through the service
  local user=$1; shift
  as_client EVIDENCE_SERVICE="$SOCKET" EVIDENCE_USER="$user" EVIDENCE_PASSWORD="$PASSWORD" "$EVIDENCE" "$@"
}

echo "TAP version 13"
# The centre, set up by its administrator on the service's account: encrypted from the start.
as_service EVIDENCE_NEW_PASSWORD="$PASSWORD" "$EVIDENCE" --data-dir "$DATA" setup centre --username admin --name "Ada Admin" --encrypt >/dev/null
admin users add --username lena --name "Lena Learner" --role learner >/dev/null
admin users add --username lars --name "Lars Learner" --role learner >/dev/null

as_service "$EVIDENCE" --data-dir "$DATA" serve --socket "$SOCKET" 2>"$WORK/service.log" &
service_pid=$!
trap '$as_root kill $service_pid 2>/dev/null || true; $as_root pkill -u '"$SERVICE_USER"' -f "evidence --data-dir $DATA serve" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -S "$SOCKET" ] && break; sleep 0.1; done
check "the service listens on its socket" test -S "$SOCKET"
says "the service runs as its own account" "$SERVICE_USER" ps -o user= -p "$(pgrep -u "$SERVICE_USER" -f "serve --socket $SOCKET" | head -1)"

# The client's account: no way into the files.
refuse "the client cannot list the data directory" as_client ls "$DATA"
refuse "the client cannot read the database" as_client cat "$DATA/evidence.sqlite3"
refuse "the client cannot read the keyring" as_client cat "$DATA/keyring.json"
refuse "the client cannot write into the data directory" as_client touch "$DATA/planted"
refuse "the client cannot open the database with sqlite3" as_client sqlite3 "$DATA/evidence.sqlite3" "SELECT * FROM users"
refuse "the client cannot copy a password hash onto the assessor (no SQL reaches the file)" \
  as_client sqlite3 "$DATA/evidence.sqlite3" "UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE username = 'lena') WHERE username = 'admin'"
refuse "the client cannot open the data directory as an embedded store" as_client "$EVIDENCE" --data-dir "$DATA" --user lena learners list

# Through the service, as the accounts it signs in as.
lena_id=$(client lena --json learners list | sed -n 's/.*"id": *"\([^"]*\)".*/\1/p' | head -1)
check "Lena sees her own portfolio through the service" test -n "$lena_id"
check "Lena enrols through the service" client lena enrol --learner "$lena_id" NOCN-L3-CD --unit PWC
item=$(client lena --json add --learner "$lena_id" --title "$SECRET" --method reflective_account --date 2026-11-02 --body "$SECRET, noted." | sed -n 's/^  "id": *"\([^"]*\)".*/\1/p' | head -1)
check "Lena records an item through the service" test -n "$item"
check "Lena maps it through the service" client lena map "$item" NOCN-L3-CD:PWC.1.1
printf '%s, in a note on the desk.\n' "$SECRET" > "$WORK/desk-note.txt"
$as_root chown "$CLIENT_USER:" "$WORK/desk-note.txt"
$as_root chmod 0600 "$WORK/desk-note.txt"
says "Lena attaches a file of the desk account's through the service" "Attached desk-note.txt" client lena attach "$item" "$WORK/desk-note.txt"
says "the service is never asked to read what the desk account cannot (its own keyring)" "[attachment_unreadable]" client lena attach "$item" "$DATA/keyring.json"
says "her gaps through the service count the draft" "1 draft only" client lena gaps --learner "$lena_id"
says "Lars cannot read Lena's item through the service" "[not_found]" client lars show "$item"
says "Lars cannot list Lena's portfolio through the service" "[not_found]" client lars list --learner "$lena_id"
says "Lena is no administrator through the service either" "[forbidden]" client lena settings currency-years 1
says "a wrong password is refused" "[sign_in_failed]" as_client EVIDENCE_SERVICE="$SOCKET" EVIDENCE_USER=admin EVIDENCE_PASSWORD=guess "$EVIDENCE" learners list

# The desktop app as the desk account, in its real webview under Xvfb, through the service
# (tests/service/app.e2e.mjs, through tests/e2e/run.sh). tauri-driver launches the wrapper, which drops
# to the desk account with a home of its own and the service's socket, and no data directory.
$as_root install -m 0755 "${EVIDENCE_APP:-target/debug/evidence-tracker}" "$WORK/bin/evidence-tracker"
DESK_HOME=$WORK/desk-home
$as_root install -d -m 0700 -o "$CLIENT_USER" -g "$CLIENT_USER" "$DESK_HOME" "$DESK_HOME/run"
cat > "$WORK/bin/app-as-desk" <<WRAPPER
#!/bin/sh
exec ${as_root:+$as_root --preserve-env} setpriv --reuid=$CLIENT_USER --regid=$CLIENT_USER --init-groups \
  env -u EVIDENCE_DATA_DIR HOME=$DESK_HOME XDG_DATA_HOME=$DESK_HOME/data XDG_CACHE_HOME=$DESK_HOME/cache \
  XDG_CONFIG_HOME=$DESK_HOME/config XDG_RUNTIME_DIR=$DESK_HOME/run EVIDENCE_SERVICE=$SOCKET \
  EVIDENCE_E2E_PICK_FILE=$DESK_HOME/site-photo.png \
  $WORK/bin/evidence-tracker "\$@"
WRAPPER
cat > "$WORK/bin/cli-as-desk" <<WRAPPER
#!/bin/sh
# cli-as-desk USER ARGS...: the CLI as the desk account, signed in to the service as USER.
user=\$1; shift
exec ${as_root} runuser -u $CLIENT_USER -- env -i PATH=/usr/bin:/bin HOME=/nonexistent EVIDENCE_SERVICE=$SOCKET \
  EVIDENCE_USER="\$user" EVIDENCE_PASSWORD="$PASSWORD" $EVIDENCE "\$@"
WRAPPER
chmod 0755 "$WORK/bin/app-as-desk" "$WORK/bin/cli-as-desk"
step=$((step + 1))
if EVIDENCE_APP="$WORK/bin/app-as-desk" SERVICE_PASSWORD="$PASSWORD" SERVICE_SECRET="$SECRET" SERVICE_DATA="$DATA" \
  SERVICE_CLIENT_USER="$CLIENT_USER" SERVICE_CLIENT_CLI="$WORK/bin/cli-as-desk" SERVICE_PICK_FILE="$DESK_HOME/site-photo.png" \
  bash tests/e2e/run.sh tests/service/app.e2e.mjs >"$WORK/app-e2e.log" 2>&1; then
  echo "ok $step - the app, as the desk account, works through the service (tests/service/app.e2e.mjs)"
else
  echo "not ok $step - the app, as the desk account, through the service (tests/service/app.e2e.mjs)"
  failures=$((failures + 1))
fi
grep -E "^ *(not )?ok [0-9]|^# (pass|fail)|error:|timed out|screenshot:" "$WORK/app-e2e.log" | sed 's/^/#   /' || true

# At rest: nothing readable, even to root.
says "sqlite3 calls the database not a database" "file is not a database" sqlite3 "$DATA/evidence.sqlite3" "SELECT count(*) FROM sqlite_master"
refuse "no evidence text anywhere under the data directory" $as_root grep -r -a -q -- "$SECRET" "$DATA"
says "the data directory is the service's own, mode 0700" "drwx------ $SERVICE_USER" stat -c "%A %U" "$DATA"

# The unit we ship, as systemd reads it (its binary pointed at this build).
if command -v systemd-analyze >/dev/null 2>&1; then
  sed "s|/usr/bin/evidence|$EVIDENCE|" packaging/linux/evidence-tracker.service > "$WORK/evidence-tracker.service"
  verified=$(systemd-analyze verify "$WORK/evidence-tracker.service" 2>&1) && verify_rc=0 || verify_rc=$?
  check "systemd-analyze verify accepts the unit and says nothing against it" test "$verify_rc" -eq 0 -a -z "$verified"
  [ -z "$verified" ] || sed 's/^/#   /' <<<"$verified"
else
  echo "not ok $((step + 1)) - systemd-analyze is missing (scripts/ensure-deps installs systemd)"; failures=$((failures + 1))
fi

echo "1..$step"
if [ "$failures" -ne 0 ]; then
  echo "# $failures of $step failed; the service said:"; sed 's/^/#   /' "$WORK/service.log"
  exit 1
fi
echo "# pass $step"
