package io.taskmetering.domain.trace;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GenAiMessagesTest {
    private static final String CONVERSATION = """
            [{"role": "system", "parts": [{"type": "text", "content": "You help."}]},
             {"role": "user", "parts": [{"type": "text", "content": "Where is \\"order\\" 42?\\u00e9"}]},
             {"role": "assistant", "parts": [{"type": "tool_call", "id": "c1", "name": "lookup", "arguments": {"id": 42}},
                                             {"type": "text", "content": "It ships"}, {"type": "text", "content": "today."}],
              "finish_reason": "stop"}]
            """;

    @Test
    void theLastMessagesTextPartsJoinedByNewLines() {
        assertThat(GenAiMessages.lastText(CONVERSATION)).contains("It ships\ntoday.");
    }

    @Test
    void theLastMessageOfARoleWithEscapesRead() {
        assertThat(GenAiMessages.lastTextOf(CONVERSATION, "user")).contains("Where is \"order\" 42?é");
        assertThat(GenAiMessages.lastTextOf(CONVERSATION, "tool")).isEmpty();
    }

    @Test
    void aLastMessageWithoutTextIsAnEmptyAnswer() {
        assertThat(GenAiMessages.lastText("[{\"role\": \"assistant\", \"parts\": [{\"type\": \"tool_call\"}]}]"))
                .contains("");
        assertThat(GenAiMessages.lastText("[]")).contains("");
    }

    @Test
    void textThatIsNoMessageListIsUnreadable() {
        assertThat(GenAiMessages.lastText(null)).isEmpty();
        assertThat(GenAiMessages.lastText("Refund issued.")).isEmpty();
        assertThat(GenAiMessages.lastText("{\"role\": \"assistant\"}")).isEmpty();
        assertThat(GenAiMessages.lastText("[\"text\"]")).isEmpty();
        assertThat(GenAiMessages.lastText("[{\"role\": \"assistant\"}] trailing")).isEmpty();
        assertThat(GenAiMessages.lastText("[{\"a\": 01}]")).isEmpty();
        assertThat(GenAiMessages.lastText("[{\"a\": \"\\x\"}]")).isEmpty();
        assertThat(GenAiMessages.lastText("[".repeat(10_000))).isEmpty();
    }
}
