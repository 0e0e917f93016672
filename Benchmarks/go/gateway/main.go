// grpc-gateway (v1.6.4, Debian's golang-github-grpc-ecosystem-grpc-gateway-dev) in front of the demo backends:
// the reverse proxies protoc-gen-grpc-gateway generates from Protos/demo's google.api.http annotations, one
// client connection per backend, on one HTTP/1.1 listener. JSON is written with the proto3 JSON names
// (lowerCamelCase, OrigName false) and without default values, as Envoy's grpc_json_transcoder and Portico write
// it; grpc-gateway's own default would be the proto field names.
//
// Built by Benchmarks/go/build.sh; compare-envoy.py starts it with --grpc-gateway.
package main

import (
	"context"
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/grpc-ecosystem/grpc-gateway/runtime"
	// Registers google.rpc.ErrorInfo, so a backend's error details (the demo backends send one) can be
	// written as JSON; without it every error answer is a 500 "failed to marshal error message".
	_ "google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"

	ordersv1 "portico.bench/demo/orders/v1"
	productsv1 "portico.bench/demo/products/v1"
	usersv1 "portico.bench/demo/users/v1"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:18100", "address of the HTTP/1.1 listener")
	users := flag.String("users", "127.0.0.1:50051", "address of the users backend")
	orders := flag.String("orders", "127.0.0.1:50052", "address of the orders backend")
	products := flag.String("products", "127.0.0.1:50053", "address of the products backend")
	flag.Parse()
	log.SetPrefix("grpc-gateway: ")
	log.SetFlags(0)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	mux := runtime.NewServeMux(runtime.WithMarshalerOption(runtime.MIMEWildcard, &runtime.JSONPb{OrigName: false}))
	options := []grpc.DialOption{grpc.WithInsecure()}
	if err := usersv1.RegisterUserServiceHandlerFromEndpoint(ctx, mux, *users, options); err != nil {
		log.Fatalf("users: %v", err)
	}
	if err := ordersv1.RegisterOrderServiceHandlerFromEndpoint(ctx, mux, *orders, options); err != nil {
		log.Fatalf("orders: %v", err)
	}
	if err := productsv1.RegisterProductServiceHandlerFromEndpoint(ctx, mux, *products, options); err != nil {
		log.Fatalf("products: %v", err)
	}

	listener, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	server := &http.Server{Handler: mux}
	go func() {
		signals := make(chan os.Signal, 1)
		signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
		<-signals
		server.Close()
	}()
	log.Printf("listening on %s", listener.Addr())
	if err := server.Serve(listener); err != nil && err != http.ErrServerClosed {
		log.Fatal(err)
	}
}
