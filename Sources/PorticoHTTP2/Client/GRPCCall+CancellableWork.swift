public import PorticoCore

extension GRPCCall: CancellableWork {}
