import ClaimMapEvaluator
import ClaimMapRuntime
import ClaimMapTestSupport
import Foundation
import Testing

@testable import ClaimMapEmitters

/// The reference evaluator on the retail example, case by case (the scenarios of `Mappings/retail.tests.yaml`).
@Suite("evaluator interpreter")
struct InterpreterTests {
    static func retail() throws -> Interpreter {
        Interpreter(program: ProgramLowering.program(try EmitterFixtures.example("retail")))
    }

    static func claims(_ text: String) throws -> JSONValue { try StrictJSONReader().parse(text) }

    @Test("a gold customer goes to VIP and the balance guard opens")
    func gold() throws {
        let result = try Self.retail().evaluate(
            EvaluationInput(
                claims: try Self.claims(
                    #"{"sub":"u-1","https://retail.example/tier":"gold","https://retail.example/accounts":["0123456789"]}"#
                )))
        #expect(result.route?.rule == "vip")
        #expect(result.route?.priority == 10)
        #expect(result.variable("Flow.IsVip")?.value == .boolean(true))
        #expect(result.variable("Flow.Tier")?.source == "enrichment:Customer Profile")
        #expect(
            result.guards == [EvaluationResult.GuardDecision(name: "Get Account Balance", allowed: true, reason: nil)])
        #expect(result.participantData.first { $0.key == "customer.vip" }?.value == "true")
    }

    @Test("a guest is routed to the guest queue and every guard denies")
    func guest() throws {
        let result = try Self.retail().evaluate(EvaluationInput(claims: nil, attributes: ["preferredLanguage": "fr"]))
        #expect(result.route?.rule == "guests")
        #expect(result.guards.first?.reason == "not_authenticated")
        #expect(result.variable("Flow.CustomerId")?.value == nil)
        #expect(result.variable("Flow.Tier")?.value == .string("bronze"))
        #expect(result.variable("Flow.Tier")?.source == "default")
        #expect(result.variable("Flow.Language")?.value == .string("fr"))
    }

    @Test("CRM down: defaults apply and never open the guard")
    func crmDown() throws {
        let result = try Self.retail().evaluate(
            EvaluationInput(
                claims: try Self.claims(#"{"sub":"u-3","https://retail.example/tier":"gold"}"#),
                enrichments: ["Customer Profile": .fail]))
        #expect(result.route?.rule == "default")
        #expect(result.variable("Flow.Tier")?.value == .string("bronze"))
        #expect(result.guards.first?.reason == "input_not_set")
    }

    @Test("a tampered attribute changes neither route nor guard, and falls back to its default")
    func tampered() throws {
        let result = try Self.retail().evaluate(
            EvaluationInput(
                claims: try Self.claims(
                    #"{"sub":"u-2","https://retail.example/tier":"gold","https://retail.example/accounts":["0123456789"]}"#
                ),
                attributes: ["preferredLanguage": "../../etc"]))
        #expect(result.route?.rule == "vip")
        #expect(result.guards.first?.allowed == true)
        #expect(result.variable("Flow.Language")?.value == .string("en"))
    }

    @Test("an enrichment value that breaks its contract keeps the default, with a warning")
    func contract() throws {
        let result = try Self.retail().evaluate(
            EvaluationInput(
                claims: try Self.claims(#"{"sub":"u-1"}"#),
                enrichments: ["Customer Profile": .response(try Self.claims(#"{"tier":"diamond","ltv":12000.5}"#))]))
        #expect(result.variable("Flow.Tier")?.value == .string("bronze"))
        #expect(result.variable("Flow.LifetimeValue")?.value == .decimal(12000.5))
        #expect(result.route?.rule == "vip")
        #expect(result.warnings.count == 1)
    }

    @Test("a trailing line break never slips past a pattern (ICU's `$` would allow it; ECMA-262's does not)")
    func patternEndOfInput() throws {
        for value in ["0123456789\n", "0123456789\r\n", "0123456789\u{2028}"] {
            let result = try Self.retail().evaluate(
                EvaluationInput(
                    claims: try Self.claims(#"{"sub":"u-1"}"#),
                    enrichments: ["Customer Profile": .response(.object([("accounts", .array([.string(value)]))]))]))
            #expect(result.variable("Flow.Accounts")?.value == nil, "\(value.debugDescription) passed the pattern")
            #expect(result.warnings.count == 1)
        }
        #expect(
            ClaimContract.violation(.string("0123456789"), ClaimTypeSpec(kind: .string, pattern: "^[0-9]{10}$")) == nil
        )
        #expect(
            ClaimContract.violation(.string("0123456789\n"), ClaimTypeSpec(kind: .string, pattern: "^[0-9]{10}$"))
                != nil)
        #expect(ClaimContract.violation(.string("a$b"), ClaimTypeSpec(kind: .string, pattern: "^a[$]b$")) == nil)
        #expect(ClaimContract.violation(.string("a$"), ClaimTypeSpec(kind: .string, pattern: "^a\\$$")) == nil)
    }

    @Test("guard outputs arrive only when the guard opens and the flow reaches the call")
    func actionOutputs() throws {
        let gold = try Self.claims(
            #"{"sub":"u-1","https://retail.example/tier":"gold","https://retail.example/accounts":["0123456789"]}"#)
        let response = EvaluationInput.DataActionResult.response(try Self.claims(#"{"balance":1234.56}"#))
        let reached = try Self.retail().evaluate(
            EvaluationInput(claims: gold, actions: ["Get Account Balance": response]))
        #expect(reached.variable("Flow.Balance")?.value == .decimal(Decimal(string: "1234.56")!))
        #expect(reached.variable("Flow.Balance")?.source == "action:Get Account Balance")
        let silver = try Self.claims(
            #"{"sub":"u-1","https://retail.example/tier":"silver","https://retail.example/accounts":["0123456789"]}"#)
        let notReached = try Self.retail().evaluate(
            EvaluationInput(claims: silver, actions: ["Get Account Balance": response]))
        #expect(notReached.route?.rule == "default")
        #expect(notReached.guards.first?.allowed == true)
        #expect(notReached.variable("Flow.Balance")?.value == nil)
    }

    @Test("integers beyond 2^53 and non-ASCII strings arrive exactly")
    func exactness() throws {
        let program = ProgramLowering.program(try EmitterFixtures.spec("features"))
        let result = Interpreter(program: program).evaluate(
            EvaluationInput(
                claims: try Self.claims(
                    #"{"sub":"u-1","name":"Zoë ✓ 👋","https://features.example/codes":[9007199254740993]}"#)))
        #expect(result.variable("Flow.Name")?.value == .string("Zoë ✓ 👋"))
        #expect(result.variable("Flow.Codes")?.value == .collection([.integer(9_007_199_254_740_993)]))
        #expect(result.variable("Flow.Email")?.value == nil)
    }

    @Test("evaluator.json round-trips to the same program")
    func roundTrip() throws {
        for spec in try EmitterFixtures.allSpecs() {
            let program = ProgramLowering.program(spec)
            let text = program.json().rendered()
            let decoded = try EvaluatorProgram(json: try StrictJSONReader(maxDepth: 64).parse(text))
            #expect(decoded == program, "\(spec.name)")
        }
    }

    /// An operator, function, claim kind, format or guest mode the runtime does not know is an error when
    /// `evaluator.json` is read, naming the allowed values: it used to evaluate to NOT_SET, silently.
    @Test(
        "evaluator.json with an unknown name is refused, not evaluated",
        arguments: [
            (
                #""op": "or""#, #""op": "xor""#,
                #"op must be one of or, and, ==, !=, <, <=, >, >=, +, -, *, /; it is "xor""#
            ),
            (#""op": "==""#, #""op": "===""#, #"it is "===""#),
            (#""type": "string""#, #""type": "str""#, "type must be one of string, integer, number, boolean, array"),
            (
                #""format": "email""#, #""format": "e-mail""#,
                "format must be one of email, uri, date-time, numeric-date"
            ),
            (#""guests": "block""#, #""guests": "Block""#, #"guests must be one of route, block; it is "Block""#),
        ])
    func unknownNames(original: String, replacement: String, message: String) throws {
        let spec = try EmitterFixtures.example("bank")
        let text = ProgramLowering.program(spec).json().rendered()
        #expect(text.contains(original), "the bank program writes \(original)")
        let changed = text.replacingOccurrences(of: original, with: replacement)
        let json = try StrictJSONReader(maxDepth: 64).parse(changed)
        #expect {
            _ = try EvaluatorProgram(json: json)
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test("a function name is read from its enum: If and every other function round-trip, Foo is refused")
    func functionNames() throws {
        for function in ArchitectOperations.Function.allCases {
            let expr = TypedExpr(.call(function, []), type: .boolean)
            let program = EvaluatorProgram(
                spec: "f",
                identity: IdentityPolicy(
                    discovery: "https://i.example/.well-known/openid-configuration", issuer: "https://i.example/",
                    audience: ["a"], algorithms: ["RS256"], leewaySeconds: 0, maxAgeSeconds: nil, nonceRequired: false,
                    jwks: nil, guests: .route),
                claims: [], enrichments: [], attributes: [],
                variables: [
                    VariableSpec(
                        name: "Flow.X", type: .boolean, source: .expression(expr), defaultValue: nil, trusted: false)
                ], computationOrder: ["Flow.X"], participantData: [], routing: [], guards: [])
            let text = program.json().rendered()
            #expect(try EvaluatorProgram(json: try StrictJSONReader(maxDepth: 64).parse(text)) == program)
            if function == .isSet {
                let foo = text.replacingOccurrences(of: #""call": "IsSet""#, with: #""call": "Foo""#)
                #expect(throws: EvaluatorProgram.FormatError.self) {
                    try EvaluatorProgram(json: try StrictJSONReader(maxDepth: 64).parse(foo))
                }
            }
        }
    }
}
