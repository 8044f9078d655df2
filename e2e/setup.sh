#!/bin/sh
# Prepares e2e/ for running tests in real VS Code (code-server + headless Chromium).
# Idempotent: each step is skipped when already done. Needs root (or sudo) only when
# Debian packages are missing. Nothing is downloaded except from apt and the npm registry.
set -eu
cd "$(dirname "$0")"
export DEBIAN_FRONTEND=noninteractive

# 1. Debian packages: libkrb5-dev (kerberos native build), ripgrep (replaces the rg that
#    @vscode/ripgrep would fetch from GitHub), chromium (the browser driving the workbench).
#    Build tools are needed for the native modules code-server compiles.
missing=""
for pkg in libkrb5-dev ripgrep chromium; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing="$missing $pkg"
done
command -v make >/dev/null && command -v g++ >/dev/null || missing="$missing build-essential"
command -v python3 >/dev/null || missing="$missing python3"
if [ -n "$missing" ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  echo "setup: installing Debian packages:$missing"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends $missing
fi

# 2. Seed @vscode/ripgrep's download cache with Debian's rg so its postinstall does not go to
#    GitHub ("Using cached download"). Version and asset name are fixed by code-server 4.100.3
#    (lib/vscode pins @vscode/ripgrep 1.15.11, which asks for ripgrep v13.0.0-10). The tarball
#    must hold `rg` at its root: the postinstall runs `tar xvf <tgz> -C bin` and expects bin/rg.
#    os.tmpdir() is what the postinstall uses, so ask node rather than assume /tmp.
RG_CACHE="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-1.15.11"
RG_TGZ="$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -s "$RG_TGZ" ]; then
  mkdir -p "$RG_CACHE"
  stage="$(mktemp -d)"
  cp "$(command -v rg)" "$stage/rg"
  tar czf "$RG_TGZ.partial" -C "$stage" rg && mv "$RG_TGZ.partial" "$RG_TGZ"
  rm -rf "$stage"
  echo "setup: seeded $RG_TGZ"
fi

# 3. npm ci, skipped when node_modules was installed from this very lockfile with this Node.
#    The marker lives inside node_modules, so npm ci (which wipes node_modules) removes it.
key="$( (cat package-lock.json; node --version) | sha256sum | cut -c1-16)"
marker="node_modules/.kt-e2e-installed-$key"
if [ -f "$marker" ]; then
  echo "setup: node_modules up to date ($key)"
  exit 0
fi

# Native modules: build from source instead of letting prebuild-install (kerberos) and
# node-pre-gyp (argon2) try GitHub release downloads, and give node-gyp the local Node headers
# so it does not fetch them from nodejs.org.
export npm_config_build_from_source=true
node_prefix="$(dirname "$(dirname "$(command -v node)")")"
if [ -z "${npm_config_nodedir:-}" ] && [ -f "$node_prefix/include/node/node.h" ]; then
  export npm_config_nodedir="$node_prefix"
fi

echo "setup: npm ci (code-server builds native modules; takes a few minutes)"
npm ci --no-audit --no-fund
touch "$marker"
echo "setup: done"
