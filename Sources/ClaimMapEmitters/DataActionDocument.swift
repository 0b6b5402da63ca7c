import ClaimMapRuntime

/// A Genesys data-action import document (the shape of Genesys's own exports and the Platform API's `Action` model;
/// `docs/schemas/data-action-import.schema.json` names the sources): the model, and its JSON in the key order of
/// Genesys's own exports.
struct DataActionDocument: Sendable {
    var name: String
    var category: String
    /// `custom-rest-actions`: a Web Services data action calling an external HTTPS endpoint.
    var integrationType = "custom-rest-actions"
    var requestURLTemplate: String
    var requestType: String
    var headers: [(String, String)]
    var requestTemplate: String
    var translationMap: [(String, String)]
    var translationMapDefaults: [(String, String)]
    var successTemplate: String
    var inputSchema: JSONValue
    var successSchema: JSONValue
    var secure: Bool

    func json() -> JSONValue {
        .object([
            ("name", .string(name)),
            ("category", .string(category)),
            ("integrationType", .string(integrationType)),
            ("actionType", .string("custom")),
            (
                "config",
                .object([
                    (
                        "request",
                        .object([
                            ("requestUrlTemplate", .string(requestURLTemplate)),
                            ("requestType", .string(requestType)),
                            ("headers", .object(headers.map { ($0.0, .string($0.1)) })),
                            ("requestTemplate", .string(requestTemplate)),
                        ])
                    ),
                    (
                        "response",
                        .object([
                            ("translationMap", .object(translationMap.map { ($0.0, .string($0.1)) })),
                            ("translationMapDefaults", .object(translationMapDefaults.map { ($0.0, .string($0.1)) })),
                            ("successTemplate", .string(successTemplate)),
                        ])
                    ),
                ])
            ),
            (
                "contract",
                .object([
                    ("input", .object([("inputSchema", inputSchema)])),
                    ("output", .object([("successSchema", successSchema)])),
                ])
            ),
            ("secure", .bool(secure)),
        ])
    }
}

/// Key paths of data-action documents that no Genesys export in the corpus shows, each a regular JSON Schema keyword.
/// UNCONFIRMED: whether Genesys enforces them at execution (docs/security.md); they document the contract either way
/// and Genesys's import accepts JSON Schema.
enum DataActionShapes {
    static let unconfirmedInputKeywords = ["pattern", "maxLength", "minimum", "maximum", "items"]
}
