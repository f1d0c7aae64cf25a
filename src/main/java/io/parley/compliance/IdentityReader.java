package io.parley.compliance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads the identity a bootstrap call brings into Parley from its body. A body that is not a JSON
 * object is not this reader's concern: it yields nothing, and the resource answers 400.
 */
final class IdentityReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private IdentityReader() {
    }

    /**
     * The identity in the body of {@code establishSessions} ({@code {"sessionInformation": object or
     * JSON string}}) or {@code chatAuthenticate} (the attributes at the top level).
     *
     * @return the identity (perhaps {@link Identity#ANONYMOUS}), or empty when the body cannot be read
     */
    static Optional<Identity> read(String operation, byte[] body) {
        JsonNode root;
        try {
            root = isBlank(body) ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (root == null || !root.isObject()) {
            return Optional.empty();
        }
        JsonNode attributes = root;
        if ("establishSessions".equals(operation)) {
            attributes = root.get("sessionInformation");
            if (attributes != null && attributes.isTextual()) {
                try {
                    attributes = JSON.readTree(attributes.asText());
                } catch (JsonProcessingException e) {
                    return Optional.empty();
                }
            }
            if (attributes == null || attributes.isNull() || attributes.isMissingNode()) {
                return Optional.of(Identity.ANONYMOUS);
            }
            if (!attributes.isObject()) {
                return Optional.empty();
            }
        }
        return Optional.of(new Identity(text(attributes, "emailAddress"), text(attributes, "firstName"),
                text(attributes, "lastName"), text(attributes, "organizationName"), text(attributes, "organizationId"),
                text(attributes, "authUserName")));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !(v.isTextual() || v.isNumber())) {
            return null;
        }
        String s = v.asText().trim();
        return s.isEmpty() ? null : s;
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }
}
