import Crypto
import PorticoConfig

/// The keys `auth:` names, read and checked at start: the HMAC secret, the JWKS file, the API keys.
///
/// Every problem is collected with the file and line of the key that names the file, like every other
/// configuration error; no message ever contains a secret.
struct AuthKeyMaterial {
    var hmacKey: VerificationKey?
    var acceptedAlgorithms: Set<JWTAlgorithmName> = []
    var fileKeys = JWKSKeySet()
    var apiKeys: [APIKeyEntry] = []
    var diagnostics: [ConfigDiagnostic] = []

    init(settings: AuthSettings, files: AuthKeyFiles) {
        if let jwt = settings.jwt { loadJWT(jwt, files: files) }
        if let keys = settings.apiKeys { loadAPIKeys(keys, files: files) }
    }

    private mutating func loadJWT(_ jwt: JWTSettings, files: AuthKeyFiles) {
        var secretLength: Int?
        if let secret = jwt.secret, let bytes = secretBytes(secret, files: files) {
            hmacKey = .hmac(SymmetricKey(data: bytes))
            secretLength = bytes.count
        }
        if let file = jwt.jwksFile {
            if let bytes = files.bytes(of: file.value) {
                do {
                    fileKeys = try JWKSKeySet(json: bytes)
                } catch {
                    report("\(file.value): \(error.message)", at: file.location)
                }
            } else {
                report("cannot read the JWKS file \(file.value)", at: file.location)
            }
        }
        let hasPublicKeys = jwt.jwksFile != nil || jwt.jwksURL != nil
        let candidates = jwt.algorithms.isEmpty ? JWTAlgorithmName.allCases : jwt.algorithms
        for algorithm in candidates {
            if algorithm.isHMAC {
                guard let secretLength else { continue }
                if secretLength >= algorithm.minimumSecretBytes {
                    acceptedAlgorithms.insert(algorithm)
                } else if !jwt.algorithms.isEmpty, let secret = jwt.secret {
                    report(
                        "the HMAC secret is too short: \(algorithm.rawValue) needs at least \(algorithm.minimumSecretBytes) bytes",
                        at: secret.location
                    )
                }
            } else if hasPublicKeys {
                acceptedAlgorithms.insert(algorithm)
            }
        }
    }

    /// The secret's bytes; a file's trailing line breaks are not part of the secret.
    private mutating func secretBytes(_ secret: Located<HMACSecretSource>, files: AuthKeyFiles) -> [UInt8]? {
        switch secret.value {
        case .inline(let bytes):
            return bytes
        case .file(let path):
            guard var bytes = files.bytes(of: path) else {
                report("cannot read the secret file \(path)", at: secret.location)
                return nil
            }
            while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") {
                bytes.removeLast()
            }
            guard bytes.count >= JWTAlgorithmName.hs256.minimumSecretBytes else {
                report("the HMAC secret in \(path) is too short: HS256 needs at least 32 bytes", at: secret.location)
                return nil
            }
            return bytes
        }
    }

    private mutating func loadAPIKeys(_ settings: APIKeySettings, files: AuthKeyFiles) {
        let path = settings.file.value
        guard let bytes = files.bytes(of: path), let text = String(validating: bytes, as: UTF8.self) else {
            report("cannot read the API-keys file \(path) as UTF-8", at: settings.file.location)
            return
        }
        do {
            apiKeys = try APIKeyFileReader.read(text, file: path)
        } catch {
            diagnostics.append(contentsOf: error.diagnostics)
        }
    }

    private mutating func report(_ message: String, at location: SourceLocation) {
        diagnostics.append(location.diagnostic(message))
    }
}
