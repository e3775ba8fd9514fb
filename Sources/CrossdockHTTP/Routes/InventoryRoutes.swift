import CrossdockDomain
import CrossdockEngine
import CrossdockStore
import Foundation
import Hummingbird

/// Scheduled receipts and their arrival, and region-to-warehouse preferences.
struct InventoryRoutes {
    let store: any Store
    let service: InventoryService

    func add(to router: RouteTable) {
        router.post("/v1/inventory/receipts") { request, context in
            _ = try context.require(.inventoryWrite)
            let body = try await JSONBody<ScheduledReceipt.Request>.read(request, schema: RequestSchemas.receipt)
            return Response.reply(try await service.schedule(body.value, idempotency: try request.idempotency(context, body: body.bytes)))
        }
        router.get("/v1/inventory/receipts/:id") { _, context in
            _ = try context.require(.ordersRead)
            let id = try pathParameter(context, "id")
            guard let receipt = try await store.receipt(id) else { throw notFound("receipt", id) }
            return try Response.json(receipt)
        }
        router.post("/v1/inventory/receipts/:id/arrivals") { request, context in
            _ = try context.require(.inventoryWrite)
            let id = try pathParameter(context, "id")
            let body = try await JSONBody<ArrivalBody>.read(request, schema: RequestSchemas.arrival)
            let idempotency = try request.idempotency(context, body: body.bytes)
            return Response.reply(try await service.arrive(receiptID: id, quantity: body.value.quantity, idempotency: idempotency))
        }
        router.put("/v1/region-preferences/:region") { request, context in
            _ = try context.require(.masterWrite)
            let region = try pathParameter(context, "region", .region)
            let body = try await JSONBody<RegionPreferenceBody>.read(request, schema: RequestSchemas.regionPreference)
            let idempotency = try request.idempotency(context, body: body.bytes)
            return Response.reply(try await service.setRegionPreference(region: region, warehouses: body.value.warehouses, idempotency: idempotency))
        }
        router.get("/v1/region-preferences") { _, context in
            _ = try context.require(.masterRead)
            return try Response.json(try await store.regionPreferences())
        }
    }
}
