package io.parley.engagement;

import java.util.Map;

/** A chat message to post. */
public record PostCommand(String body, boolean richText, boolean offRecord, String messageId,
                          Map<String, String> messageData, Visibility visibility) {
}
