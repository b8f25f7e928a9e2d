# Sourced by the scripts that `go install` a pinned test server (install_cometbft.sh, install_s3_server.sh):
# `go_bin_dir TOOL` checks that Go is there and prints the directory `go install` writes binaries to.
go_bin_dir() {
    if ! command -v go >/dev/null 2>&1; then
        echo "$1: 'go' is not on PATH; install Go first (https://go.dev/dl)" >&2
        return 1
    fi
    local dir
    dir="$(go env GOBIN)"
    if [ -z "${dir}" ]; then
        dir="$(go env GOPATH)/bin"
    fi
    echo "${dir}"
}
