// The demo backends in grpc-go: users, orders and products (two replicas on one store), each with the
// standard health service, on the addresses `portico demo --backends-only` uses. They answer the seed data of
// Sources/PorticoDemo/Domain/DemoSeed.swift with the same shapes; only the methods compare-envoy.py loads
// (GetUser, GetProduct, GetOrder, CancelOrder) are implemented, the others answer UNIMPLEMENTED.
//
// Built by Benchmarks/go/build.sh (GOPATH mode, Debian's /usr/share/gocode, no network); compare-envoy.py
// starts it with --backend grpc-go.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"

	"github.com/golang/protobuf/proto"
	"github.com/golang/protobuf/ptypes/timestamp"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	commonv1 "portico.bench/demo/common/v1"
	ordersv1 "portico.bench/demo/orders/v1"
	productsv1 "portico.bench/demo/products/v1"
	usersv1 "portico.bench/demo/users/v1"
)

const epoch2026 = 1767225600

const (
	userService    = "demo.users.v1.UserService"
	orderService   = "demo.orders.v1.OrderService"
	productService = "demo.products.v1.ProductService"
)

func at(seconds int64) *timestamp.Timestamp { return &timestamp.Timestamp{Seconds: seconds} }

func eur(units int64, nanos int32) *commonv1.Money {
	return &commonv1.Money{CurrencyCode: "EUR", Units: units, Nanos: nanos}
}

// failure is a store refusal as the Swift demo answers it: the status with a google.rpc.ErrorInfo detail
// whose reason is the code's name and whose domain is the service.
func failure(code codes.Code, domain, message string) error {
	reasons := map[codes.Code]string{
		codes.InvalidArgument: "INVALID_ARGUMENT", codes.NotFound: "NOT_FOUND", codes.FailedPrecondition: "FAILED_PRECONDITION",
	}
	s, err := status.New(code, message).WithDetails(&errdetails.ErrorInfo{Reason: reasons[code], Domain: domain})
	if err != nil {
		return status.Error(code, message)
	}
	return s.Err()
}

type users struct {
	usersv1.UnimplementedUserServiceServer
	byID map[string]*usersv1.User
}

func (s *users) GetUser(_ context.Context, request *usersv1.GetUserRequest) (*usersv1.User, error) {
	if request.UserId == "" {
		return nil, failure(codes.InvalidArgument, userService, "user_id is required")
	}
	user, ok := s.byID[request.UserId]
	if !ok {
		return nil, failure(codes.NotFound, userService, fmt.Sprintf("user %q not found", request.UserId))
	}
	return user, nil
}

type products struct {
	productsv1.UnimplementedProductServiceServer
	byID map[string]*productsv1.Product
}

func (s *products) GetProduct(_ context.Context, request *productsv1.GetProductRequest) (*productsv1.Product, error) {
	if request.ProductId == "" {
		return nil, failure(codes.InvalidArgument, productService, "product_id is required")
	}
	product, ok := s.byID[request.ProductId]
	if !ok {
		return nil, failure(codes.NotFound, productService, fmt.Sprintf("product %q not found", request.ProductId))
	}
	return product, nil
}

// orders keeps its orders under one lock, as the Swift OrderStore does (CancelOrder writes).
type orders struct {
	ordersv1.UnimplementedOrderServiceServer
	mutex sync.Mutex
	byID  map[string]*ordersv1.Order
}

func (s *orders) GetOrder(_ context.Context, request *ordersv1.GetOrderRequest) (*ordersv1.Order, error) {
	if request.OrderId == "" {
		return nil, failure(codes.InvalidArgument, orderService, "order_id is required")
	}
	s.mutex.Lock()
	defer s.mutex.Unlock()
	order, ok := s.byID[request.OrderId]
	if !ok {
		return nil, failure(codes.NotFound, orderService, fmt.Sprintf("order %q not found", request.OrderId))
	}
	return proto.Clone(order).(*ordersv1.Order), nil
}

func (s *orders) CancelOrder(_ context.Context, request *ordersv1.CancelOrderRequest) (*ordersv1.Order, error) {
	s.mutex.Lock()
	defer s.mutex.Unlock()
	order, ok := s.byID[request.OrderId]
	if !ok {
		return nil, failure(codes.NotFound, orderService, fmt.Sprintf("order %q not found", request.OrderId))
	}
	if order.Status == ordersv1.OrderStatus_ORDER_STATUS_SHIPPED {
		return nil, failure(codes.FailedPrecondition, orderService,
			fmt.Sprintf("order %q has shipped and cannot be cancelled", request.OrderId))
	}
	order.Status = ordersv1.OrderStatus_ORDER_STATUS_CANCELLED
	return proto.Clone(order).(*ordersv1.Order), nil
}

// seed is DemoSeed.swift's data.
func seed() (*users, *products, *orders) {
	u := &users{byID: map[string]*usersv1.User{}}
	for _, user := range []*usersv1.User{
		{UserId: "u1", DisplayName: "Ada Lovelace", Email: "ada@example.com", Role: usersv1.Role_ROLE_ADMIN,
			CreatedAt: at(epoch2026), Labels: map[string]string{"tier": "gold"}},
		{UserId: "u2", DisplayName: "Alan Turing", Email: "alan@example.com", Role: usersv1.Role_ROLE_CUSTOMER,
			CreatedAt: at(epoch2026 + 86400)},
		{UserId: "u3", DisplayName: "Grace Hopper", Email: "grace@example.com", Role: usersv1.Role_ROLE_CUSTOMER,
			CreatedAt: at(epoch2026 + 172800), Labels: map[string]string{"team": "navy"}},
	} {
		u.byID[user.UserId] = user
	}
	books, games, tools := productsv1.Category_CATEGORY_BOOKS, productsv1.Category_CATEGORY_GAMES, productsv1.Category_CATEGORY_TOOLS
	p := &products{byID: map[string]*productsv1.Product{}}
	for _, product := range []*productsv1.Product{
		{ProductId: "p1", Name: "The Art of Computer Programming", Description: "Volumes 1-4B", Category: books,
			Price: eur(199, 990000000), Stock: 12, Tags: []string{"classic", "algorithms"}, UpdatedAt: at(epoch2026)},
		{ProductId: "p2", Name: "Structure and Interpretation of Computer Programs", Description: "Second edition", Category: books,
			Price: eur(45, 0), Stock: 0, Tags: []string{"classic", "lisp"}, UpdatedAt: at(epoch2026)},
		{ProductId: "p3", Name: "Go board", Description: "19x19, wood", Category: games,
			Price: eur(89, 500000000), Stock: 4, Tags: []string{"strategy"}, UpdatedAt: at(epoch2026)},
		{ProductId: "p4", Name: "Soldering iron", Description: "Temperature controlled", Category: tools,
			Price: eur(59, 0), Stock: 30, Tags: []string{"electronics"}, UpdatedAt: at(epoch2026)},
		{ProductId: "p5", Name: "Gödel, Escher, Bach", Description: "An eternal golden braid", Category: books,
			Price: eur(24, 990000000), Stock: 7, Tags: []string{"classic", "logic"}, UpdatedAt: at(epoch2026)},
	} {
		p.byID[product.ProductId] = product
	}
	o := &orders{byID: map[string]*ordersv1.Order{}}
	for _, order := range []*ordersv1.Order{
		{OrderId: "o1", UserId: "u1", UserName: "Ada Lovelace",
			OrderItems: []*ordersv1.OrderItem{{ProductId: "p1", Quantity: 1, UnitPrice: eur(199, 990000000)}},
			Status:     ordersv1.OrderStatus_ORDER_STATUS_PAID, Total: eur(199, 990000000), CreatedAt: at(epoch2026 + 3600)},
		{OrderId: "o2", UserId: "u2", UserName: "Alan Turing",
			OrderItems: []*ordersv1.OrderItem{{ProductId: "p3", Quantity: 2, UnitPrice: eur(89, 500000000)}},
			Status:     ordersv1.OrderStatus_ORDER_STATUS_PENDING, Total: eur(179, 0), CreatedAt: at(epoch2026 + 7200),
			XNote: &ordersv1.Order_Note{Note: "gift wrap"}},
	} {
		o.byID[order.OrderId] = order
	}
	return u, p, o
}

// newServer is one gRPC server with the health service reporting SERVING for itself and `service`.
func newServer(service string) *grpc.Server {
	server := grpc.NewServer()
	checker := health.NewServer()
	checker.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
	checker.SetServingStatus(service, healthpb.HealthCheckResponse_SERVING)
	healthpb.RegisterHealthServer(server, checker)
	return server
}

func main() {
	usersAddress := flag.String("users", "127.0.0.1:50051", "address of the users backend")
	ordersAddress := flag.String("orders", "127.0.0.1:50052", "address of the orders backend")
	productsAddresses := flag.String("products", "127.0.0.1:50053,127.0.0.1:50054", "comma-separated addresses of the products replicas")
	flag.Parse()
	log.SetPrefix("grpc-go demo: ")
	log.SetFlags(0)

	u, p, o := seed()
	userServer := newServer(userService)
	usersv1.RegisterUserServiceServer(userServer, u)
	orderServer := newServer(orderService)
	ordersv1.RegisterOrderServiceServer(orderServer, o)
	productServer := newServer(productService)
	productsv1.RegisterProductServiceServer(productServer, p)

	type binding struct {
		name    string
		address string
		server  *grpc.Server
	}
	bindings := []binding{{"users", *usersAddress, userServer}, {"orders", *ordersAddress, orderServer}}
	for _, address := range strings.Split(*productsAddresses, ",") {
		bindings = append(bindings, binding{"products", address, productServer})
	}
	var listening []string
	for _, b := range bindings {
		listener, err := net.Listen("tcp", b.address)
		if err != nil {
			log.Fatalf("%s: %v", b.name, err)
		}
		listening = append(listening, b.name+" "+listener.Addr().String())
		go func(b binding, listener net.Listener) {
			if err := b.server.Serve(listener); err != nil {
				log.Fatalf("%s: %v", b.name, err)
			}
		}(b, listener)
	}
	log.Printf("backends %s", strings.Join(listening, ", "))

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	<-signals
	for _, server := range []*grpc.Server{userServer, orderServer, productServer} {
		server.Stop()
	}
}
