import CrossdockDomain
import Foundation

/// Every outbound mapping the hub knows: the bundled ones (shipped in the package) and those of a directory.
///
/// Load it once at start and fail the start on an error: a broken mapping is found before any event needs it.
///
/// ```swift
/// let catalog = try MappingCatalog.load(directory: config.mappingsDirectory)   // nil: bundled only
/// guard let mapping = catalog["sandbox-wms-shipping-order"] else { … }
/// let (contentType, body) = try mapping.render(event: delivery.body)
/// ```
public struct MappingCatalog: Sendable {
    /// The mappings by name.
    public let mappings: [String: OutboundMapping]

    /// The mapping named `name`.
    public subscript(name: String) -> OutboundMapping? { mappings[name] }

    /// Every name, sorted.
    public var names: [String] { mappings.keys.sorted() }

    /// The mappings that render events of `type` (short or qualified name), sorted by name.
    public func mappings(for type: String) -> [OutboundMapping] {
        mappings.values.filter { $0.handles(type) }.sorted { $0.name < $1.name }
    }

    /// Creates a catalog from mappings already loaded.
    /// - Parameter mappings: the mappings; names must be unique.
    /// - Throws: `invalid_mapping` for a duplicate name.
    public init(_ mappings: [OutboundMapping]) throws(ConnectorError) {
        var byName: [String: OutboundMapping] = [:]
        for mapping in mappings {
            if let existing = byName[mapping.name] {
                throw ConnectorError(
                    code: ConnectorError.invalidMapping,
                    message: "\(mapping.source)#/name: mapping \(mapping.name) is also defined by \(existing.source)",
                    errors: [.init(field: "/name", reason: "duplicate name \(mapping.name) (\(existing.source), \(mapping.source))")]
                )
            }
            byName[mapping.name] = mapping
        }
        self.mappings = byName
    }

    /// Loads the bundled mappings and every `*.json` file of `directory`.
    /// - Parameters:
    ///   - directory: a directory of mapping files (not searched recursively); nil for the bundled mappings only.
    ///   - includeBundled: whether to include the bundled mappings.
    /// - Throws: `invalid_mapping` for an unreadable or invalid file, or a name defined twice (also across the
    ///   directory and the bundled set: choose a new name rather than shadowing a bundled mapping).
    public static func load(directory: URL? = nil, includeBundled: Bool = true) throws(ConnectorError) -> MappingCatalog {
        var mappings: [OutboundMapping] = []
        if includeBundled { mappings += try bundled() }
        if let directory { mappings += try load(directory: directory, label: directory.path) }
        return try MappingCatalog(mappings)
    }

    /// The mappings shipped in `Sources/CrossdockConnectors/Mappings/Bundled`.
    public static func bundled() throws(ConnectorError) -> [OutboundMapping] {
        guard let directory = Bundle.module.url(forResource: "Bundled", withExtension: nil) else {
            throw ConnectorError(code: ConnectorError.invalidMapping, message: "the bundled mappings are missing from the package resources")
        }
        return try load(directory: directory, label: "Bundled")
    }

    private static func load(directory: URL, label: String) throws(ConnectorError) -> [OutboundMapping] {
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "json" }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            throw ConnectorError(code: ConnectorError.invalidMapping, message: "\(label): cannot list the mapping directory")
        }
        var mappings: [OutboundMapping] = []
        for file in files {
            let source = "\(label)/\(file.lastPathComponent)"
            guard let data = try? Data(contentsOf: file) else {
                throw ConnectorError(code: ConnectorError.invalidMapping, message: "\(source): cannot be read")
            }
            mappings.append(try OutboundMapping(json: data, source: source, expectedName: file.deletingPathExtension().lastPathComponent))
        }
        return mappings
    }
}
