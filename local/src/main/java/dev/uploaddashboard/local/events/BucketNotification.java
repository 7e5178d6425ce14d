package dev.uploaddashboard.local.events;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A bucket's notification configuration: events for keys under a prefix go, as S3 notification
 * JSON, to a function invoked asynchronously.
 *
 * <p>S3 has to be running before the function can be built (the function needs S3's endpoint), so
 * events that arrive before {@link #connect} are held and delivered on connect.
 */
public final class BucketNotification implements Consumer<S3ObjectEvent> {

  private final String keyPrefix;
  private final S3EventNotifications notifications;
  private final List<byte[]> held = new ArrayList<>();
  private AsyncInvoker destination;

  public BucketNotification(String keyPrefix, S3EventNotifications notifications) {
    this.keyPrefix = keyPrefix;
    this.notifications = notifications;
  }

  @Override
  public synchronized void accept(S3ObjectEvent event) {
    if (!event.key().startsWith(keyPrefix)) {
      return;
    }
    byte[] notification = notifications.notificationBytes(event);
    if (destination == null) {
      held.add(notification);
    } else {
      destination.submit(notification);
    }
  }

  public synchronized void connect(AsyncInvoker destination) {
    this.destination = destination;
    held.forEach(destination::submit);
    held.clear();
  }
}
