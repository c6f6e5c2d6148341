package io.lathe.ui;

import io.lathe.job.JobHandle;
import javafx.collections.ObservableList;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.function.Supplier;

/** The bottom dock: jobs (title, stage, %, ETA, cancel) and messages (failures in plain words, with Details). */
final class JobsPane extends HBox {
    /** One failure (or, without a cause, one notice) as the messages list shows it. */
    record Message(LocalTime time, String action, String reason, Throwable cause) {
        /** A line that tells something without anything having failed. */
        static Message notice(LocalTime time, String text) {
            return new Message(time, text, text, null);
        }

    }

    JobsPane(JobsModel jobs, ObservableList<Message> messages, Supplier<Window> owner) {
        getStyleClass().add("jobs-pane");
        setSpacing(10);
        ListView<JobRow> jobList = new ListView<>(jobs.rows());
        jobList.setId("jobs-list");
        jobList.setPlaceholder(new Label("No jobs. Opening a model, previews and measurements show up here."));
        jobList.setCellFactory(v -> {
            JobCell cell = new JobCell();
            cell.prefWidthProperty().bind(v.widthProperty().subtract(18));
            return cell;
        });
        jobList.setTooltip(new Tooltip("Background jobs: each shows its stage, progress and time left, and can be cancelled"));
        ListView<Message> msgList = new ListView<>(messages);
        msgList.setId("messages-list");
        msgList.setPlaceholder(new Label("No problems."));
        msgList.setCellFactory(v -> {
            MessageCell cell = new MessageCell(owner);
            cell.prefWidthProperty().bind(v.widthProperty().subtract(18));
            return cell;
        });
        VBox left = titled("Jobs", jobList);
        VBox right = titled("Messages", msgList);
        HBox.setHgrow(left, Priority.ALWAYS);
        HBox.setHgrow(right, Priority.ALWAYS);
        left.setPrefWidth(700);
        right.setPrefWidth(600);
        getChildren().addAll(left, right);
    }

    private static VBox titled(String title, ListView<?> list) {
        Label t = new Label(title);
        t.getStyleClass().add("pane-title");
        VBox.setVgrow(list, Priority.ALWAYS);
        return new VBox(4, t, list);
    }

    private static final class JobCell extends ListCell<JobRow> {
        @Override
        protected void updateItem(JobRow row, boolean empty) {
            super.updateItem(row, empty);
            if (empty || row == null) {
                setGraphic(null);
                return;
            }
            Label title = new Label(row.title());
            title.getStyleClass().add("job-title");
            title.setMinWidth(Region.USE_PREF_SIZE);
            Label msg = new Label();
            msg.textProperty().bind(row.messageProperty());
            msg.setMinWidth(0);
            HBox.setHgrow(msg, Priority.SOMETIMES);
            msg.getStyleClass().add("muted");
            ProgressBar bar = new ProgressBar();
            bar.progressProperty().bind(row.fractionProperty());
            bar.setPrefWidth(120);
            bar.setMinWidth(80);
            Label pct = new Label();
            pct.textProperty().bind(row.fractionProperty().multiply(100).asString("%.0f%%"));
            pct.setMinWidth(36);
            Label eta = new Label();
            eta.textProperty().bind(row.etaProperty());
            eta.getStyleClass().add("muted");
            eta.setMinWidth(Region.USE_PREF_SIZE);
            Label state = new Label();
            state.textProperty().bind(row.stateProperty().asString().map(s -> s.toLowerCase(java.util.Locale.ROOT)));
            state.getStyleClass().add("job-state");
            state.setMinWidth(Region.USE_PREF_SIZE);
            Button cancel = new Button("Cancel");
            cancel.getStyleClass().add("small-button");
            cancel.setMinWidth(Region.USE_PREF_SIZE);
            cancel.setTooltip(new Tooltip("Stop this job; nothing it was computing is applied"));
            cancel.setOnAction(e -> row.cancel());
            cancel.disableProperty().bind(row.stateProperty().map(s -> s != JobHandle.State.RUNNING
                    && s != JobHandle.State.QUEUED));
            Region sp = new Region();
            HBox.setHgrow(sp, Priority.ALWAYS);
            HBox box = new HBox(10, title, bar, pct, msg, sp, eta, state, cancel);
            box.setAlignment(Pos.CENTER_LEFT);
            setGraphic(box);
        }
    }

    private static final class MessageCell extends ListCell<Message> {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
        private final Supplier<Window> owner;

        MessageCell(Supplier<Window> owner) {
            this.owner = owner;
        }

        @Override
        protected void updateItem(Message m, boolean empty) {
            super.updateItem(m, empty);
            if (empty || m == null) {
                setGraphic(null);
                return;
            }
            Label time = new Label(m.time().format(TIME));
            time.getStyleClass().add("muted");
            Label what = new Label(m.cause() == null ? m.reason() : m.action() + " failed: " + m.reason());
            what.setMinWidth(0);
            what.getStyleClass().add(m.cause() == null ? "notice-text" : "error-text");
            what.setTooltip(new Tooltip(m.reason()));
            if (m.cause() == null) {
                HBox box = new HBox(8, time, what);
                box.setAlignment(Pos.CENTER_LEFT);
                setGraphic(box);
                return;
            }
            Region sp = new Region();
            HBox.setHgrow(sp, Priority.ALWAYS);
            Button details = new Button("Details");
            details.getStyleClass().add("small-button");
            details.setMinWidth(Region.USE_PREF_SIZE);
            details.setTooltip(new Tooltip("Show the full reason and the technical details"));
            details.setOnAction(e -> Dialogs.showError(owner.get(), m.action(), m.cause()));
            HBox box = new HBox(8, time, what, sp, details);
            box.setAlignment(Pos.CENTER_LEFT);
            setGraphic(box);
        }
    }
}
