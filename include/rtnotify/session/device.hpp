// The sans-I/O SmartREST real-time device engine: the 80 → 81 → 83 loop a Cumulocity device runs.
// SPDX-License-Identifier: BSL-1.0
// One header because the device engine is one class: its options, its events and the engine are read together;
// its state table is in device_state.hpp.
#ifndef RTNOTIFY_SESSION_DEVICE_HPP
#define RTNOTIFY_SESSION_DEVICE_HPP

#include <rtnotify/session/clock.hpp>
#include <rtnotify/session/device_state.hpp>
#include <rtnotify/smartrest/decode.hpp>
#include <rtnotify/smartrest/encode.hpp>
#include <rtnotify/smartrest/response.hpp>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace rtnotify::session {

/// Settings of `session::device`.
struct device_options
{
    /// The X-Id of every request: the device's template collection (a name, or the id of its `20` reply).
    std::string xid;
    /// The channels to subscribe, each with an `81` after every handshake (Cumulocity: `/<deviceId>`).
    std::vector<std::string> channels;
    /// X-Ids whose response templates also render deliveries; their rows come in `87` groups.
    std::vector<std::string> extra_xids;
    /// Ask for reliable push (`80,true`): the server numbers its replies with `88` and sends a
    /// reply again until the next `83` acknowledges it; a batch received twice is ignored.
    bool reliable = false;
    duration backoff_increment{1000}; ///< added to the wait after each failure
    duration max_backoff{60000};      ///< the wait never grows beyond this
    /// A request unanswered this long has failed; a connect gets the server's advised hold on top.
    duration max_network_delay{30000};
    /// The hold a connect is given before the server advises one: Cumulocity holds 10 minutes.
    duration default_hold{600000};
    /// An advised timeout or interval above this (a broken or hostile server) is taken as this.
    duration max_advice{86400000};
    /// Limits of the response decoder (a response is read whole).
    smartrest::decode_options decode;
};

/// A body the device wants posted on the real-time path with the header `X-Id: xid`.
struct device_request
{
    std::uint64_t id = 0; ///< passed back with the response
    std::string xid;
    std::string body;
    bool long_poll = false; ///< an `83`: the server may hold it for the advised timeout
};

/// Data rows of one delivery batch rendered with the templates of `xid` (the `87` label, or the device's X-Id).
struct rows_received
{
    smartrest::row_group group;
};

/// The device's state changed.
struct device_state_changed
{
    device_state state = device_state::unconnected;
};

/// The server refused a request (a `4x` or `50` line) or sent a malformed response; a lost request is
/// the transport's to report.
struct device_error
{
    std::string what;
};

/// What the device engine tells its application.
using device_event = std::variant<rows_received, device_state_changed, device_error>;

/** The SmartREST real-time device engine.

    Sans-I/O, like the Bayeux `client`: the transport loops on
    `next_request(now)`, posts each body (one at a time), then hands the
    response to `receive` or reports `fail`; `take_events` returns the rows
    and state changes in order.

    The device handshakes (`80`), subscribes each channel with the extra
    X-Ids (`81`), then long-polls (`83`) one connect after another. It obeys
    `86` advice: `retry` connects again after the interval, `handshake`
    starts over (new client id, subscriptions sent again; so does a `45`
    line carrying Bayeux's `402` unknown client, advice or not), `none` stops; a
    connect is given the advised timeout plus `max_network_delay`. It backs
    off by `backoff_increment` up to `max_backoff` after a failure and tries
    the same step again. With `reliable`, each `83` acknowledges the last
    `88` batch and a batch number already seen is not handed on twice.
*/
class device
{
public:
    explicit device(device_options opts) : opts_(std::move(opts)) {}

    /// Starts (or restarts) the real-time flow: a handshake is due now.
    void start(time_point now)
    {
        move(device_trigger::start, now);
    }

    /** Ends the flow: an `84` is due at once. A connect still held is given up
        (its response, if one comes, is read as a late one), so the transport
        sends the `84` on another connection.
    */
    void disconnect()
    {
        if(client_id_.empty())
            return (void)move(device_trigger::stop);
        leaving_ = true;
        if(in_flight_ && in_flight_->kind == request_kind::connect)
            in_flight_.reset();
    }

    /// The next body to post, if one is due at `now`.
    std::optional<device_request> next_request(time_point now)
    {
        if(in_flight_ || state_ == device_state::unconnected || state_ == device_state::disconnected)
            return std::nullopt;
        if(leaving_)
            return send(request_kind::disconnect, line({"84", client_id_}), now);
        if(!due_ || *due_ > now)
            return std::nullopt;
        switch(state_)
        {
        case device_state::handshaking:
            return send(request_kind::handshake, opts_.reliable ? line({"80", "true"}) : line({"80"}), now);
        case device_state::subscribing: return send(request_kind::subscribe, subscribe_body(), now);
        default: break;
        }
        auto const batch = std::to_string(last_batch_);
        return send(request_kind::connect,
                    last_batch_ != 0 ? line({"83", client_id_, batch}) : line({"83", client_id_}), now);
    }

    /** The response body to request `id`.

        A late response to a request already given up is still read for its
        rows (a reliable device skips a batch it has seen), but no longer
        steers the loop.
    */
    void receive(std::uint64_t id, std::string_view body, time_point now)
    {
        auto const sent = in_flight_ && in_flight_->id == id ? std::optional(in_flight_->kind) : std::nullopt;
        if(sent)
            in_flight_.reset();
        auto const doc = smartrest::decode(body, opts_.decode);
        auto resp = doc ? smartrest::parse_response(*doc, opts_.xid)
                        : boost::system::result<smartrest::response, smartrest::diagnostic>(doc.error());
        if(!resp)
        {
            events_.emplace_back(device_error{"malformed response: " + resp.error().to_string()});
            if(sent)
                back_off(now);
            return;
        }
        take_rows(*resp);
        bool refused = false;
        bool unknown_client = false; // 45 with Bayeux 402: a server may say so without an 86 line
        for(auto const& s : resp->statuses)
            if(s.code >= 40)
            {
                refused = true;
                unknown_client = unknown_client || (s.code == 45 && s.text.starts_with("402:"));
                events_.emplace_back(device_error{std::to_string(s.code) + "," + std::to_string(s.line.value_or(0)) +
                                                  "," + s.text});
            }
        if(!sent)
            return;
        if(resp->advice)
        {
            auto const bounded = [&](std::uint64_t ms) {
                return duration(static_cast<duration::rep>(
                    std::min<std::uint64_t>(ms, static_cast<std::uint64_t>(std::max<duration::rep>(0, opts_.max_advice.count())))));
            };
            if(resp->advice->timeout)
                hold_ = bounded(*resp->advice->timeout);
            if(resp->advice->interval)
                interval_ = bounded(*resp->advice->interval);
        }
        if(*sent == request_kind::disconnect)
        {
            move(device_trigger::stop);
            return;
        }
        if(resp->advice && resp->advice->policy == smartrest::reconnect::none)
            move(device_trigger::stop);
        else if((resp->advice && resp->advice->policy == smartrest::reconnect::handshake) ||
                (unknown_client && *sent != request_kind::handshake))
            rehandshake(now);
        else if(refused)
            back_off(now);
        else
            advance(*sent, *resp, now);
    }

    /// The transport failed to deliver request `id` or its response.
    void fail(std::uint64_t id, time_point now)
    {
        if(!in_flight_ || in_flight_->id != id)
            return;
        auto const kind = in_flight_->kind;
        in_flight_.reset();
        if(kind == request_kind::disconnect)
            move(device_trigger::stop); // leaving anyway: the server forgets the session when it times out
        else
            back_off(now);
    }

    /// When `on_timer` or `next_request` must next be called, if ever.
    std::optional<time_point> next_deadline() const
    {
        if(in_flight_)
            return in_flight_->deadline;
        if(state_ == device_state::unconnected || state_ == device_state::disconnected)
            return std::nullopt;
        return due_;
    }

    /// Gives up on a request unanswered past its deadline (`next_request` sends what is due).
    void on_timer(time_point now)
    {
        if(in_flight_ && in_flight_->deadline <= now)
            fail(in_flight_->id, now);
    }

    /// Takes the events produced so far, in order.
    std::vector<device_event> take_events() { return std::exchange(events_, {}); }

    device_state state() const noexcept { return state_; }

    /// The client id of the current handshake; empty before one succeeds.
    std::string const& client_id() const noexcept { return client_id_; }

    /// The request awaiting its response, if one is.
    std::optional<std::uint64_t> in_flight() const noexcept
    {
        return in_flight_ ? std::optional(in_flight_->id) : std::nullopt;
    }

    /// The last `88` batch received (0: none), which the next `83` acknowledges.
    std::uint64_t last_batch() const noexcept { return last_batch_; }

    /// The wait added after the last failure.
    duration backoff() const noexcept { return backoff_; }

private:
    enum class request_kind
    {
        handshake,
        subscribe,
        connect,
        disconnect,
    };

    struct outstanding
    {
        std::uint64_t id = 0;
        request_kind kind = request_kind::handshake;
        time_point deadline;
    };

    device_request send(request_kind kind, std::string body, time_point now)
    {
        auto const wait = kind == request_kind::connect ? hold_ + opts_.max_network_delay : opts_.max_network_delay;
        in_flight_ = outstanding{++request_seq_, kind, now + wait};
        due_.reset();
        return {request_seq_, opts_.xid, std::move(body), kind == request_kind::connect};
    }

    /// One request line, each field quoted where it must be (a client id is the server's bytes).
    static std::string line(std::initializer_list<std::string_view> fields)
    {
        std::string out;
        smartrest::encode_record(out, fields);
        return out;
    }

    std::string subscribe_body() const
    {
        std::string out;
        for(auto const& ch : opts_.channels)
        {
            std::vector<std::string_view> fields{"81", client_id_, ch};
            fields.insert(fields.end(), opts_.extra_xids.begin(), opts_.extra_xids.end());
            smartrest::encode_record(out, fields);
        }
        return out;
    }

    /** Fires `trigger` (`device_transitions`): the one place the state
        changes. Entering `handshaking` forgets the client id and its batches
        and makes the handshake due at `due`; entering `disconnected` cancels
        what was due. A change of state is reported as `device_state_changed`.
    */
    bool move(device_trigger trigger, std::optional<time_point> due = std::nullopt)
    {
        auto const to = next_device_state(state_, trigger);
        if(!to)
            return false;
        if(*to == device_state::handshaking)
        {
            client_id_.clear();
            last_batch_ = 0;
            due_ = due;
        }
        else if(*to == device_state::disconnected)
        {
            due_.reset();
            in_flight_.reset(); // a response still on its way is read as a late one
            leaving_ = false;
        }
        else
            due_ = due;
        if(*to != state_)
        {
            state_ = *to;
            events_.emplace_back(device_state_changed{state_});
        }
        return true;
    }

    void rehandshake(time_point now)
    {
        if(leaving_)
            move(device_trigger::stop);
        else
            move(device_trigger::rehandshake, now + interval_ + backoff_);
    }

    void back_off(time_point now)
    {
        if(state_ == device_state::unconnected || state_ == device_state::disconnected)
            return;
        backoff_ = std::min(backoff_ + opts_.backoff_increment, opts_.max_backoff);
        due_ = now + interval_ + backoff_;
    }

    /// A request went through: the next step of the loop.
    void advance(request_kind sent, smartrest::response const& resp, time_point now)
    {
        switch(sent)
        {
        case request_kind::handshake:
            if(!resp.client_id)
                return back_off(now);
            backoff_ = duration(0);
            if(!move(device_trigger::handshake_accepted, now))
                return;
            client_id_ = resp.client_id->client_id;
            last_batch_ = 0; // batches are numbered per session
            if(opts_.channels.empty())
                move(device_trigger::subscribe_accepted, now);
            return;
        case request_kind::subscribe:
            backoff_ = duration(0);
            move(device_trigger::subscribe_accepted, now);
            return;
        case request_kind::connect:
            backoff_ = duration(0);
            due_ = now + interval_; // the policy of this response was retry, or it had none
            return;
        case request_kind::disconnect: return;
        }
    }

    /// Hands on the rows of `resp` (moved out of it), unless its batch was seen before.
    void take_rows(smartrest::response& resp)
    {
        if(resp.batch)
        {
            if(resp.batch->batch <= last_batch_)
                return;
            last_batch_ = resp.batch->batch;
        }
        for(auto& g : resp.groups)
            if(!g.rows.empty())
                events_.emplace_back(rows_received{std::move(g)});
    }

    device_options opts_;
    device_state state_ = device_state::unconnected;
    std::string client_id_;
    std::uint64_t last_batch_ = 0;
    std::optional<time_point> due_;
    std::optional<outstanding> in_flight_;
    bool leaving_ = false;
    duration hold_{opts_.default_hold};
    duration interval_{0};
    duration backoff_{0};
    std::uint64_t request_seq_ = 0;
    std::vector<device_event> events_;
};

} // namespace rtnotify::session

#endif
