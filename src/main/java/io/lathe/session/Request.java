package io.lathe.session;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.lathe.data.DataRequest;

/**
 * One operation as immutable data: the model, the data and the operation's own options, with the type
 * of its result. Serialisable to JSON ({@link Requests}) with a {@code "kind"} naming the operation, so
 * the same request runs in the calling thread, on the engine thread, in a worker process or from the
 * command line, and gives the same result ({@link Operations} is the one code path per operation).
 *
 * @param <R> the result type
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = EvaluateRequest.class, name = "evaluate"),
        @JsonSubTypes.Type(value = SweepRequest.class, name = "sensitivity")})
public sealed interface Request<R> permits EvaluateRequest, SweepRequest {
    /** The model the operation runs on. */
    ModelRef model();

    /** The data it reads. */
    DataRequest data();
}
