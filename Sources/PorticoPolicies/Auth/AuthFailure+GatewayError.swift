public import PorticoCore

extension AuthFailure: GatewayErrorConvertible {
    /// `UNAUTHENTICATED` (401) or `PERMISSION_DENIED` (403) with the `WWW-Authenticate` challenge.
    public var gatewayError: GatewayError {
        GatewayError(
            code: status == 403 ? .permissionDenied : .unauthenticated,
            message: message,
            source: .client,
            httpStatus: status,
            headers: [("www-authenticate", wwwAuthenticate)]
        )
    }
}
