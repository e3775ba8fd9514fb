/// The accepted shape of each request body (see ``FieldSchema``).
enum RequestSchemas {
    static let money = FieldSchema.object(["minorUnits": .scalar, "currency": .scalar])
    static let address = FieldSchema.object([
        "name": .scalar, "lines": .array(.scalar), "city": .scalar, "region": .scalar, "postalCode": .scalar, "country": .scalar,
    ])

    static let order = FieldSchema.object([
        "channel": .scalar, "externalId": .scalar, "customerId": .scalar, "customerPo": .scalar, "currency": .scalar,
        "requestedDate": .scalar, "shipPolicy": .scalar, "shipToCode": .scalar, "shipToAddress": address,
        "lines": .array(
            .object([
                "lineNo": .scalar, "sku": .scalar, "quantity": .scalar, "unitPrice": .scalar, "discount": .scalar, "unitOfMeasure": .scalar,
                "channelLineRef": .scalar,
            ])
        ),
    ])

    static let customer = FieldSchema.object([
        "id": .scalar, "name": .scalar, "status": .scalar, "creditLimit": money, "openBalance": money,
        "creditHold": .object(["reason": .scalar]),
        "paymentTerms": .object(["code": .scalar, "netDays": .scalar, "discountBasisPoints": .scalar, "discountDays": .scalar]),
        "billTo": address, "shipTo": .array(.object(["code": .scalar, "address": address])), "priceListId": .scalar,
        "shipPolicy": .scalar, "allowSubstitution": .scalar, "taxExempt": .scalar, "legalEntityId": .scalar,
        "contracts": .array(
            .object(["id": .scalar, "currency": .scalar, "validFrom": .scalar, "validTo": .scalar, "entries": .array(priceEntry)])
        ),
    ])

    static let product = FieldSchema.object([
        "sku": .scalar, "description": .scalar, "unitOfMeasure": .scalar, "gtin": .scalar,
        "substitutes": .array(.object(["sku": .scalar, "priority": .scalar])), "status": .scalar,
        "units": .array(.object(["code": .scalar, "quantity": .scalar, "gtin": .scalar])),
    ])

    static let warehouse = FieldSchema.object([
        "id": .scalar, "name": .scalar, "region": .scalar, "priority": .scalar, "address": address, "partner": .scalar,
    ])

    static let priceEntry = FieldSchema.object([
        "sku": .scalar, "minQuantity": .scalar, "unitPrice": .scalar, "unitOfMeasure": .scalar, "validFrom": .scalar, "validTo": .scalar,
    ])

    static let priceList = FieldSchema.object(["id": .scalar, "currency": .scalar, "entries": .array(priceEntry)])

    static let taxRate = FieldSchema.object(["ratePpm": .scalar])

    static let legalEntity = FieldSchema.object([
        "id": .scalar, "name": .scalar, "currency": .scalar, "erpInstance": .scalar,
        "taxRates": .array(.object(["region": .scalar, "ratePpm": .scalar])),
    ])

    static let adjustment = FieldSchema.object([
        "warehouseId": .scalar, "sku": .scalar, "quantity": .scalar, "reason": .scalar, "reference": .scalar, "safetyStock": .scalar,
    ])

    static let feedback = FieldSchema.object([
        "type": .scalar, "lines": .array(.object(["lineNo": .scalar, "quantity": .scalar])), "reason": .scalar,
        "carrier": .scalar, "service": .scalar, "shippedAt": .scalar,
        "packages": .array(
            .object([
                "trackingNumber": .scalar, "weightGrams": .scalar,
                "contents": .array(.object(["lineNo": .scalar, "quantity": .scalar])),
            ])
        ),
    ])

    static let lines = FieldSchema.array(.object(["lineNo": .scalar, "quantity": .scalar]))
    static let cancel = FieldSchema.object(["lines": lines, "reason": .scalar])
    static let releaseHold = FieldSchema.object(["actor": .scalar, "note": .scalar])
    static let resolve = FieldSchema.object(["resolution": .scalar, "note": .scalar, "substituteSku": .scalar])
    static let assign = FieldSchema.object(["assignee": .scalar])
    static let comment = FieldSchema.object(["text": .scalar])
    static let milestone = FieldSchema.object([
        "trackingNumber": .scalar, "status": .scalar, "rawStatus": .scalar, "rawCode": .scalar, "occurredAt": .scalar,
        "estimatedDeliveryAt": .scalar, "location": .scalar, "message": .scalar, "exceptionKind": .scalar, "signedBy": .scalar,
    ])
    static let returnRequest = FieldSchema.object([
        "orderId": .scalar, "warehouseId": .scalar,
        "lines": .array(.object(["lineNo": .scalar, "quantity": .scalar, "reason": .scalar])),
    ])
    static let returnReceipt = FieldSchema.object([
        "lines": .array(.object(["lineNo": .scalar, "quantity": .scalar, "condition": .scalar]))
    ])
    static let receipt = FieldSchema.object([
        "warehouseId": .scalar, "sku": .scalar, "quantity": .scalar, "expectedDate": .scalar, "reference": .scalar, "kind": .scalar,
    ])
    static let arrival = FieldSchema.object(["quantity": .scalar])
    static let regionPreference = FieldSchema.object(["warehouses": .array(.scalar)])

    static let subscription = FieldSchema.object([
        "url": .scalar, "eventTypes": .array(.scalar), "secret": .scalar,
        "settings": .object([
            "attributes": .object([
                "warehouse": .scalar, "channel": .scalar, "customer": .scalar, "partner": .scalar, "priceList": .scalar, "entity": .scalar,
            ]),
            "orderingKey": .scalar, "maxInFlight": .scalar, "ratePerSecond": .scalar, "timeoutMs": .scalar,
            "maxAttempts": .scalar, "retryBaseMs": .scalar, "retryCapMs": .scalar, "mapping": .scalar,
            "alert": .object([
                "kinds": .array(.scalar), "severities": .array(.scalar), "partners": .array(.scalar), "channels": .array(.scalar),
                "format": .scalar, "renotifyMinutes": .scalar, "notifyResolved": .scalar,
            ]),
        ]),
    ])
    /// `PATCH /v1/subscriptions/{id}`: what `POST` takes but the secret (rotated on its own route).
    static let subscriptionPatch: FieldSchema = {
        guard case .object(var members) = subscription else { return subscription }
        members["secret"] = nil
        return .object(members)
    }()
    static let rotateSecret = FieldSchema.object(["secret": .scalar, "overlapSeconds": .scalar])
    static let empty = FieldSchema.object([:])
}
