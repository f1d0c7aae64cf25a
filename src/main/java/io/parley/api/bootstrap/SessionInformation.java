package io.parley.api.bootstrap;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.parley.engagement.SessionInfo;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * What a consumer tells about themselves and their question, as bootstrap clients send it.
 * Unknown fields are ignored; a value of the wrong type is a 400 naming the field.
 */
public record SessionInformation(String firstName, String lastName, String emailAddress, String organizationName,
                                 Long contactId, Long organizationId, Long queueId, Long productId, Long categoryId,
                                 Long interfaceId, String interfaceName, Long incidentId, String question,
                                 List<CustomField> customFields, Map<String, String> auxiliaryData) {

    /** A custom field: {@code {name, type, value}}. */
    public record CustomField(String name, String type, String value) {
    }

    /** The domain's view of it. */
    public SessionInfo toSessionInfo() {
        List<SessionInfo.CustomField> fields = customFields == null ? List.of()
                : customFields.stream().filter(f -> f != null)
                        .map(f -> new SessionInfo.CustomField(f.name(), f.type(), f.value())).toList();
        return new SessionInfo(firstName, lastName, emailAddress, organizationName, contactId, organizationId, queueId,
                productId, categoryId, interfaceId, interfaceName, incidentId, question, fields, auxiliaryData);
    }

    /**
     * Reads {@code sessionInformation} given either as an object or, as most clients send it, as
     * a JSON string that holds the object. A string that is not a JSON object is a 400.
     */
    static final class ObjectOrString extends JsonDeserializer<SessionInformation> {

        @Override
        public SessionInformation deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return ctxt.readValue(p, SessionInformation.class);
            }
            String text = p.getText();
            if (text.isBlank()) {
                return null;
            }
            try (JsonParser inner = p.getCodec().getFactory().createParser(text)) {
                JsonToken first = inner.nextToken();
                if (first == JsonToken.VALUE_NULL) {
                    return null;
                }
                if (first != JsonToken.START_OBJECT) {
                    throw notAnObject(p);
                }
                SessionInformation value = ctxt.readValue(inner, SessionInformation.class);
                if (inner.nextToken() != null) {
                    throw notAnObject(p);
                }
                return value;
            } catch (JsonMappingException e) {
                throw e;
            } catch (JsonProcessingException e) {
                // The string is not JSON at all: report it against the field, not Jackson's internals.
                throw notAnObject(p);
            }
        }

        private static MismatchedInputException notAnObject(JsonParser p) {
            return MismatchedInputException.from(p, SessionInformation.class,
                    "sessionInformation must be an object or a string holding a JSON object");
        }
    }
}
