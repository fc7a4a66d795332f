import PaceHTTP
import PaceServer

/// Method plus path-template routing. Templates are literal segments and `{name}` parameters;
/// matching walks the request's path bytes in place and allocates only for parameters.
///
/// A path that fits templates with different numbers of literal segments belongs to the most
/// literal ones only (`/conversations/public` is not also `/conversations/{id}`), for every
/// method: so the answer and the `Allow` of a 405 do not depend on the order routes were added.
package struct Router: Sendable {
    package enum Segment: Sendable, Equatable {
        case literal([UInt8])
        case parameter
    }

    /// A class, so a match carries one reference: an exchange holding it and the parameters
    /// fits an existential's inline storage and costs no allocation per request.
    package final class Route: Sendable {
        package let method: HTTPMethod
        package let template: String
        package let segments: [Segment]
        package let bodyLimit: Int
        package let action: RouteAction
        /// How many segments are literals: routes are kept in descending order of it.
        let literals: Int

        init(method: HTTPMethod, template: String, segments: [Segment], bodyLimit: Int, action: RouteAction) {
            self.method = method
            self.template = template
            self.segments = segments
            self.literals = segments.count { $0 != .parameter }
            self.bodyLimit = bodyLimit
            self.action = action
        }
    }

    package enum Match {
        case found(Route, parameters: [String])
        case methodNotAllowed(allow: [HTTPMethod])
        case notFound
        /// A parameter was not valid percent-encoded UTF-8.
        case badPath
    }

    package private(set) var routes: [Route] = []

    package init() {}

    package mutating func add(_ method: HTTPMethod, _ template: String, bodyLimit: Int = 0, _ action: RouteAction) {
        let segments = template.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? Segment.parameter : .literal(Array(part.utf8))
        }
        let route = Route(method: method, template: template, segments: segments, bodyLimit: bodyLimit, action: action)
        let position = routes.firstIndex { $0.literals < route.literals } ?? routes.endIndex
        routes.insert(route, at: position)
    }

    package func match(_ method: HTTPMethod, path: UnsafeRawBufferPointer) -> Match {
        var allowed: [HTTPMethod] = []
        var fitted: Int?
        for route in routes {
            if let fitted, route.literals < fitted { break }
            guard Self.shapeMatches(route.segments, path) else { continue }
            fitted = route.literals
            if route.method == method || (method == .head && route.method == .get) {
                guard let parameters = Self.parameters(route.segments, path) else { return .badPath }
                return .found(route, parameters: parameters)
            }
            if !allowed.contains(route.method) { allowed.append(route.method) }
        }
        if allowed.isEmpty { return .notFound }
        if allowed.contains(.get) && !allowed.contains(.head) { allowed.append(.head) }
        return .methodNotAllowed(allow: allowed)
    }

    /// Whether `path` has the template's segment count and literals, without allocating.
    private static func shapeMatches(_ segments: [Segment], _ path: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        var matched = true
        let count = forEachSegment(path) { segment in
            guard index < segments.count else {
                matched = false
                return false
            }
            if case .literal(let literal) = segments[index] {
                matched = literal.withUnsafeBytes { Self.equal($0, segment) }
            } else {
                matched = !segment.isEmpty
            }
            index += 1
            return matched
        }
        return matched && count == segments.count
    }

    private static func parameters(_ segments: [Segment], _ path: UnsafeRawBufferPointer) -> [String]? {
        guard segments.contains(.parameter) else { return [] }
        var values: [String] = []
        var index = 0
        var valid = true
        _ = forEachSegment(path) { segment in
            if segments[index] == .parameter {
                guard let decoded = PercentDecoding.decodePathSegment(segment) else {
                    valid = false
                    return false
                }
                values.append(decoded)
            }
            index += 1
            return true
        }
        return valid ? values : nil
    }

    private static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        for i in 0..<a.count where a[i] != b[i] { return false }
        return true
    }

    /// Calls `body` with each segment after the leading `/`; returns how many were visited.
    private static func forEachSegment(_ path: UnsafeRawBufferPointer,
                                       _ body: (UnsafeRawBufferPointer) -> Bool) -> Int {
        guard path.first == UInt8(ascii: "/") else { return -1 }
        var start = 1
        var visited = 0
        while true {
            var end = start
            while end < path.count && path[end] != UInt8(ascii: "/") { end += 1 }
            visited += 1
            if !body(UnsafeRawBufferPointer(rebasing: path[start..<end])) { return visited }
            guard end < path.count else { return visited }
            start = end + 1
        }
    }
}
