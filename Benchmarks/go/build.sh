#!/bin/sh
# Builds the Go peers of Benchmarks/compare-envoy.py, offline, from Debian's packages:
#
#   .build/grpc-go-demo       the demo backends in grpc-go (server/main.go): users 50051, orders 50052,
#                             products 50053 and 50054, as `portico demo --backends-only` listens
#   .build/grpc-gateway-demo  grpc-gateway 1.6.4 (gateway/main.go) on 127.0.0.1:18100, proxying to them
#
# Installs what is missing with apt (Go 1.19, grpc-go 1.33, golang/protobuf 1.3 with its protoc-gen-go,
# grpc-gateway 1.6.4 with protoc-gen-grpc-gateway, genproto), copies Protos/demo to .build/protos, generates
# with protoc (--go_out=plugins=grpc and --grpc-gateway_out, one package per run) into
# .build/gopath/src/portico.bench, and builds in GOPATH mode against /usr/share/gocode (GO111MODULE=off,
# GOPROXY=off: nothing is downloaded). The copy differs from Protos/demo in two ways the 2019-2020 generators
# need: each file gets a go_package, and proto3 `optional` fields (which protoc refuses to hand to plugins
# that predate them) become one-field oneofs, the same wire format and JSON. Safe to run again; Go's build
# cache (.build/cache) makes a second run quick.
#
# Usage: sh Benchmarks/go/build.sh
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD="$HERE/.build"
GOCODE=/usr/share/gocode
GOOGLEAPIS="$GOCODE/src/github.com/grpc-ecosystem/grpc-gateway/third_party/googleapis"
PACKAGES="golang-go golang-google-grpc-dev golang-goprotobuf-dev golang-google-genproto-dev
golang-github-grpc-ecosystem-grpc-gateway-dev golang-grpc-gateway protobuf-compiler"

missing=""
for package in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $package"
    fi
done
if [ -n "$missing" ]; then
    echo "build.sh: installing$missing" >&2
    sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    # shellcheck disable=SC2086
    timeout 600 $sudo apt-get install -y -qq $missing >&2
fi
# Debian's protoc-gen-go package (1.28, google.golang.org/protobuf) has no plugins=grpc; protoc-gen-go-1-3's has.
if ! dpkg -S "$(command -v protoc-gen-go)" 2>/dev/null | grep -q '^protoc-gen-go-1-3:'; then
    echo "build.sh: $(command -v protoc-gen-go) is not golang/protobuf 1.3's (package protoc-gen-go-1-3)" >&2
    exit 1
fi

rm -rf "$BUILD/protos" "$BUILD/gopath/src/portico.bench"
mkdir -p "$BUILD/protos" "$BUILD/gopath/src" "$BUILD/cache"
cp -R "$ROOT/Protos/demo" "$BUILD/protos/demo"
for file in $(cd "$BUILD/protos" && find demo -name '*.proto' | sort); do
    directory=$(dirname "$file")
    package=$(echo "$directory" | awk -F/ '{ print $2 $3 }')    # demo/users/v1 -> usersv1
    sed -i -e "0,/^package .*;/s||&\noption go_package = \"portico.bench/$directory;$package\";|" \
        -e 's/^\( *\)optional \([a-z0-9_.]* \)\([a-z0-9_]*\) = \([0-9]*\);/\1oneof _\3 { \2\3 = \4; }/' "$BUILD/protos/$file"
    if grep -q '^ *optional ' "$BUILD/protos/$file"; then
        echo "build.sh: $file has an optional field this script cannot rewrite" >&2
        exit 1
    fi
done

# The well-known types as golang/protobuf 1.3 and genproto name them (protoc 3.21's own go_package options
# name google.golang.org/protobuf, which Debian's grpc-go 1.33 does not use).
WKT="Mgoogle/protobuf/timestamp.proto=github.com/golang/protobuf/ptypes/timestamp"
WKT="$WKT,Mgoogle/protobuf/empty.proto=github.com/golang/protobuf/ptypes/empty"
WKT="$WKT,Mgoogle/protobuf/wrappers.proto=github.com/golang/protobuf/ptypes/wrappers"
WKT="$WKT,Mgoogle/protobuf/field_mask.proto=google.golang.org/genproto/protobuf/field_mask"
WKT="$WKT,Mgoogle/api/annotations.proto=google.golang.org/genproto/googleapis/api/annotations"
for directory in $(cd "$BUILD/protos" && find demo -name '*.proto' -exec dirname {} \; | sort -u); do
    timeout 120 protoc -I"$BUILD/protos" -I"$GOOGLEAPIS" -I/usr/include \
        --go_out="plugins=grpc,$WKT:$BUILD/gopath/src" \
        --grpc-gateway_out="logtostderr=true,$WKT:$BUILD/gopath/src" \
        "$BUILD/protos/$directory"/*.proto
done

export GO111MODULE=off GOPROXY=off GOFLAGS= GOPATH="$BUILD/gopath:$GOCODE" GOCACHE="$BUILD/cache"
(cd "$HERE/server" && timeout 600 go build -o "$BUILD/grpc-go-demo" .)
(cd "$HERE/gateway" && timeout 600 go build -o "$BUILD/grpc-gateway-demo" .)
echo "$BUILD/grpc-go-demo"
echo "$BUILD/grpc-gateway-demo"
