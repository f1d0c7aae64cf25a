package io.parley.engagement;

import java.util.List;
import java.util.Map;

/**
 * What a consumer told the bootstrap call about themselves and their question. It is bound to
 * the token it was issued with and drives routing when the engagement is requested.
 */
public record SessionInfo(String firstName, String lastName, String emailAddress, String organizationName,
                          Long contactId, Long organizationId, Long queueId, Long productId, Long categoryId,
                          Long interfaceId, String interfaceName, Long incidentId, String question,
                          List<CustomField> customFields, Map<String, String> auxiliaryData) {

    public SessionInfo {
        customFields = customFields == null ? List.of() : List.copyOf(customFields);
        auxiliaryData = auxiliaryData == null ? Map.of() : Map.copyOf(auxiliaryData);
    }

    /** Nothing known: an anonymous consumer. */
    public static SessionInfo empty() {
        return new SessionInfo(null, null, null, null, null, null, null, null, null, null, null, null, null,
                List.of(), Map.of());
    }

    /** A custom field as clients send it: {@code {name, type, value}}. */
    public record CustomField(String name, String type, String value) {
    }

    /** The value of the custom field {@code name} (case-insensitive), or null. */
    public String customField(String name) {
        for (CustomField f : customFields) {
            if (f.name() != null && f.name().equalsIgnoreCase(name)) {
                return f.value();
            }
        }
        return null;
    }

    /** The name agents see: first and last name, or "Guest". */
    public String displayName() {
        String n = ((firstName == null ? "" : firstName.trim()) + " " + (lastName == null ? "" : lastName.trim())).trim();
        return n.isEmpty() ? "Guest" : n;
    }
}
