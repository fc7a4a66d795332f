/// The open connections of one loop, for deadline sweeps, shutdown and gauges. Removal is
/// O(1) by swapping with the last element.
package final class ConnectionRegistry {
    package private(set) var connections: [Connection] = []

    package init() {}


    package func insert(_ connection: Connection) {
        connection.registryIndex = connections.count
        connections.append(connection)
    }

    package func remove(_ connection: Connection) {
        let index = connection.registryIndex
        guard index >= 0 && index < connections.count && connections[index] === connection else { return }
        let last = connections.removeLast()
        if index < connections.count {
            connections[index] = last
            last.registryIndex = index
        }
        connection.registryIndex = -1
    }

    /// Tells every connection whose deadline has passed.
    package func sweep(now: Int64) {
        var index = 0
        while index < connections.count {
            let connection = connections[index]
            if connection.deadline != 0 && connection.deadline <= now {
                connection.deadline = 0
                connection.delegate?.connectionDeadlinePassed(connection)
            }
            // A closed connection removed itself and moved the last one into this slot.
            if index < connections.count && connections[index] === connection { index += 1 }
        }
    }
}
