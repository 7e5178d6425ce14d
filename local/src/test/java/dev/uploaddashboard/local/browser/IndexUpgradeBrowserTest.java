package dev.uploaddashboard.local.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The dashboard against a deployment that is still adding an order's indexes (README, "Deploying":
 * {@code listingIndexes}): the list function offers only the orders whose indexes exist ({@code
 * SORT_ORDERS}) and answers any other with 400 {@code sort_unavailable}.
 */
@DashboardTestBase.SortOrders("uploaded,name")
class IndexUpgradeBrowserTest extends DashboardTestBase {

  @Test
  void anOrderTheServerCannotGiveYetFallsBackToNewestFirst() {
    seedText("older.txt", "1");
    seedText("newer.txt", "2");
    open();
    expect(rows()).hasCount(2);

    page.getByLabel("Sort by").selectOption("size:desc");

    expect(page.locator("#notice")).containsText("sort=size is not available yet");
    expect(page.locator("#sort-select")).hasValue("uploaded:desc");
    expect(page.locator("#sort-select option[value='size:desc']")).isDisabled();
    expect(page.locator("#sort-select option[value='name:asc']")).isEnabled();
    expect(rows()).hasCount(2);
    expect(rows().first()).containsText("newer.txt");
    assertThat(page.url()).doesNotContain("sort=");

    // The orders that exist still work.
    page.getByLabel("Sort by").selectOption("name:asc");
    expect(rows().first()).containsText("newer.txt");
    expect(page.locator("#sort-select")).hasValue("name:asc");
  }
}
