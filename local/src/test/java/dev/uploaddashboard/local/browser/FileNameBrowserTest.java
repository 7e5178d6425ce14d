package dev.uploaddashboard.local.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.TimeoutError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * File names cannot spoof the page: each is shown as a bidirectional isolate, so right-to-left text
 * in a name cannot reorder the sentence around it, and invisible format characters in names
 * recorded before the API refused them are shown as U+FFFD.
 */
class FileNameBrowserTest extends DashboardTestBase {

  /** Hebrew for "annual report", then a Latin extension: a name that mixes directions. */
  private static final String RIGHT_TO_LEFT_NAME = "דוח-שנתי.txt";

  private static final String RIGHT_TO_LEFT_OVERRIDE = "\u202E";

  @Test
  void namesAreIsolatedInTheListTheDetailsTheDialogAndTheNotice() {
    Seeded file = seedText(RIGHT_TO_LEFT_NAME, "shalom");
    open();

    expectIsolatedNames(page.locator("#file-rows th.cell-name"), RIGHT_TO_LEFT_NAME);

    fileButton(RIGHT_TO_LEFT_NAME).click();
    expect(page.locator("#details-name")).hasText(RIGHT_TO_LEFT_NAME);
    expect(detailsPanel().locator("pre")).containsText("shalom"); // the server's answer is shown
    expectIsolatedNames(page.locator("#details-name"), RIGHT_TO_LEFT_NAME);

    rowDeleteButton(RIGHT_TO_LEFT_NAME).click();
    expect(dialog()).containsText("“" + RIGHT_TO_LEFT_NAME + "” will be permanently deleted");
    expectIsolatedNames(page.locator("#delete-desc"), RIGHT_TO_LEFT_NAME);
    dialog().getByText("Cancel").click();

    // Removed behind the page's back: the delete finds it gone and says so in the notice.
    product.s3Client().deleteObject(b -> b.bucket(product.bucketName()).key(file.key()));
    product.awaitSyncIdle(SYNC_TIMEOUT);
    page.waitForTimeout(2_500); // older than DeleteFileService's clock-skew allowance
    rowDeleteButton(RIGHT_TO_LEFT_NAME).click();
    confirmDeleteButton().click();
    expect(page.locator("#notice"))
        .containsText("“" + RIGHT_TO_LEFT_NAME + "” was already deleted");
    expectIsolatedNames(page.locator("#notice-text"), RIGHT_TO_LEFT_NAME);
    expectIsolatedNames(detailsPanel(), RIGHT_TO_LEFT_NAME);
  }

  @Test
  void formatCharactersInANameRecordedEarlierAreShownNotObeyed() {
    // A row written before upload and sync refused format characters: "invoice<RLO>fdp.exe" would
    // show as "invoiceexe.pdf".
    Seeded file = seedText("invoice-fdp.exe", "MZ");
    String spoofed = "invoice" + RIGHT_TO_LEFT_OVERRIDE + "fdp.exe";
    product
        .dynamoDbClient()
        .updateItem(
            b ->
                b.tableName(product.tableName())
                    .key(
                        Map.of(
                            "bucket", AttributeValue.fromS(product.bucketName()),
                            "object_key", AttributeValue.fromS(file.key())))
                    .updateExpression("SET file_name = :name")
                    .expressionAttributeValues(Map.of(":name", AttributeValue.fromS(spoofed))));
    String shown = "invoice\uFFFDfdp.exe";

    open();
    expect(fileButton(shown)).isVisible();
    fileButton(shown).click();
    expect(page.locator("#details-name")).hasText(shown);
    rowDeleteButton(shown).click();
    expect(dialog()).containsText("“" + shown + "”");

    assertThat((String) page.evaluate("() => document.body.textContent"))
        .doesNotContain(RIGHT_TO_LEFT_OVERRIDE);
    assertThat(
            (String)
                page.evaluate(
                    "() => [...document.querySelectorAll('[aria-label], [download], [alt]')]"
                        + ".map(e => [e.getAttribute('aria-label'), e.getAttribute('download'),"
                        + " e.getAttribute('alt')].join(' ')).join(' ')"))
        .doesNotContain(RIGHT_TO_LEFT_OVERRIDE);
  }

  /**
   * Waits (the panel may still be re-rendering with the server's answer) until exactly {@code
   * names} are laid out as inline isolates inside {@code container}, and fails with the texts found
   * otherwise.
   */
  private void expectIsolatedNames(Locator container, String... names) {
    List<String> expected = List.of(names);
    try {
      page.waitForCondition(() -> isolatedTexts(container).equals(expected));
    } catch (TimeoutError e) {
      // The assertion below reports what was found.
    }
    assertThat(isolatedTexts(container)).isEqualTo(expected);
  }

  /**
   * Texts of the inline elements inside {@code container} that the browser lays out as isolates
   * (block elements such as paragraphs are isolates anyway: the text that matters runs inside
   * them).
   */
  @SuppressWarnings("unchecked")
  private static List<String> isolatedTexts(Locator container) {
    return (List<String>)
        container.evaluate(
            "root => [...root.querySelectorAll('*')]"
                + ".filter(e => { const style = getComputedStyle(e);"
                + " return style.unicodeBidi === 'isolate' && style.display === 'inline'; })"
                + ".map(e => e.textContent)");
  }
}
