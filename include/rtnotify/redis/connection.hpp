// One hiredis asynchronous connection to Redis, driven by an Asio executor (no thread of its own).
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_REDIS_CONNECTION_HPP
#define RTNOTIFY_REDIS_CONNECTION_HPP

#include <rtnotify/redis/address.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace rtnotify::redis {

/** A hiredis `redisAsyncContext` whose socket Asio watches: hiredis reads,
    writes and parses RESP; `async_wait` on the socket tells it when, on the
    executor given (the server's `io_context`), so nothing blocks and no
    thread is added.

    Replies come in the order of the commands, each to its callback, with
    a null reply when the connection is lost before it came. After
    `subscribe`, the connection is in Redis's pub/sub mode: only `subscribe`
    replies and messages come, to the `on_message` given there.

    The connection is single-use: once closed, make a new one. Not
    thread-safe: call it on its executor only. Destroying it closes it
    without calling any callback.
*/
class connection
{
public:
    /// A reply (null: the connection was lost first); valid during the call only.
    using reply_handler = std::function<void(redisReply const*)>;

    /// Why the connection ended (the empty string: `close` was called).
    using close_handler = std::function<void(std::string const& why)>;

    explicit connection(boost::asio::any_io_executor ex) : ex_(std::move(ex)) {}

    connection(connection const&) = delete;
    connection& operator=(connection const&) = delete;

    ~connection()
    {
        if(!ac_)
            return;
        destroying_ = true;
        auto* ac = ac_;
        ac_ = nullptr;
        redisAsyncFree(ac); // runs the pending reply callbacks with null replies, which see destroying_
    }

    /** Starts connecting to `where` (non-blocking, but a host name is
        resolved by the system's resolver first). `on_open` is called with
        an empty string once connected, or with the reason it failed (then
        the connection is over); later, `on_close` says why it ended.
        Then logs in (`AUTH`) and selects the database, pipelined ahead of
        the caller's commands.
        @return false, with the reason in `on_open`, when hiredis could not even start.
    */
    bool open(address const& where, close_handler on_open, close_handler on_close)
    {
        on_open_ = std::move(on_open);
        on_close_ = std::move(on_close);
        ac_ = where.unix_path.empty() ? redisAsyncConnect(where.host.c_str(), where.port)
                                      : redisAsyncConnectUnix(where.unix_path.c_str());
        if(!ac_ || ac_->err)
        {
            std::string why = ac_ ? ac_->errstr : "out of memory";
            if(ac_)
                redisAsyncFree(ac_);
            ac_ = nullptr;
            on_open_(why.empty() ? "connection failed" : why);
            return false;
        }
        ac_->data = this;
        watch_ = std::make_shared<watcher>(ex_, ac_);
        ac_->ev.data = watch_.get();
        ac_->ev.addRead = [](void* p) { arm(static_cast<watcher*>(p)->self(), true); };
        ac_->ev.delRead = [](void* p) { static_cast<watcher*>(p)->want_read = false; };
        ac_->ev.addWrite = [](void* p) { arm(static_cast<watcher*>(p)->self(), false); };
        ac_->ev.delWrite = [](void* p) { static_cast<watcher*>(p)->want_write = false; };
        ac_->ev.cleanup = [](void* p) { static_cast<watcher*>(p)->detach(); };
        redisAsyncSetConnectCallback(ac_, [](redisAsyncContext const* ac, int status) {
            auto* self = static_cast<connection*>(ac->data);
            if(status == REDIS_OK)
            {
                if(ac->c.connection_type == REDIS_CONN_TCP) // fails (and breaks the context) on a unix socket
                    redisEnableKeepAlive(&const_cast<redisAsyncContext*>(ac)->c);
                self->on_open_("");
                return;
            }
            self->ac_ = nullptr; // hiredis frees it after this call
            self->on_open_(ac->errstr[0] ? ac->errstr : "connection refused");
        });
        redisAsyncSetDisconnectCallback(ac_, [](redisAsyncContext const* ac, int status) {
            auto* self = static_cast<connection*>(ac->data);
            self->ac_ = nullptr; // hiredis frees it after this call
            if(self->destroying_)
                return;
            self->on_close_(status == REDIS_OK ? self->login_error_ : std::string(ac->errstr[0] ? ac->errstr : "connection lost"));
        });
        if(where.password)
        {
            if(where.user.empty())
                command({"AUTH", *where.password}, login_check("AUTH"));
            else
                command({"AUTH", where.user, *where.password}, login_check("AUTH"));
        }
        if(where.database)
            command({"SELECT", std::to_string(where.database)}, login_check("SELECT"));
        return true;
    }

    /// True from `open` until the connection ends.
    bool is_open() const noexcept { return ac_ != nullptr; }

    /** Sends the command of `args` (binary-safe); `on_reply` gets its reply.
        @return false when the connection is not open (`on_reply` is not called).
    */
    bool command(std::vector<std::string_view> const& args, reply_handler on_reply)
    {
        if(!ac_ || args.empty())
            return false;
        std::vector<char const*> argv;
        std::vector<std::size_t> lengths;
        argv.reserve(args.size());
        lengths.reserve(args.size());
        for(auto const a : args)
        {
            argv.push_back(a.data());
            lengths.push_back(a.size());
        }
        replies_.push_back(std::move(on_reply));
        if(redisAsyncCommandArgv(ac_, &connection::on_reply, nullptr, static_cast<int>(args.size()), argv.data(), lengths.data()) !=
           REDIS_OK)
        {
            replies_.pop_back();
            return false;
        }
        return true;
    }

    /** Subscribes to `channel`: `on_message` gets the payload of each
        message published there, and an empty view with `subscribed` true
        when Redis confirms the subscription.
        @return false when the connection is not open.
    */
    bool subscribe(std::string_view channel, std::function<void(std::string_view payload, bool subscribed)> on_message)
    {
        if(!ac_)
            return false;
        on_message_ = std::move(on_message);
        char const* argv[] = {"SUBSCRIBE", channel.data()};
        std::size_t const lengths[] = {9, channel.size()};
        return redisAsyncCommandArgv(ac_, &connection::on_pubsub, nullptr, 2, argv, lengths) == REDIS_OK;
    }

    /// Ends the connection once the commands sent are answered; `on_close` is called with an empty reason (or the failed login's).
    void close()
    {
        if(ac_)
            redisAsyncDisconnect(ac_);
    }

    /// Commands sent and not answered yet.
    std::size_t pending() const noexcept { return replies_.size(); }

private:
    /// What Asio watches for hiredis: its socket (which hiredis owns and closes) and what hiredis wants.
    struct watcher : std::enable_shared_from_this<watcher>
    {
        watcher(boost::asio::any_io_executor const& ex, redisAsyncContext* c) : socket(ex, c->c.fd), ac(c) {}

        std::shared_ptr<watcher> self() { return shared_from_this(); }

        /// hiredis is freeing its context: stop watching and leave the socket to hiredis.
        void detach()
        {
            ac = nullptr;
            want_read = want_write = false;
            socket.release(); // cancels the waits; their handlers see `ac` null
        }

        boost::asio::posix::stream_descriptor socket;
        redisAsyncContext* ac;
        bool want_read = false, want_write = false;
        bool reading = false, writing = false;
    };

    /// Waits until the socket is readable (or writable), for as long as hiredis wants it, and lets hiredis handle it.
    static void arm(std::shared_ptr<watcher> w, bool read)
    {
        bool& want = read ? w->want_read : w->want_write;
        bool& waiting = read ? w->reading : w->writing;
        want = true;
        if(!w->ac || waiting)
            return;
        waiting = true;
        auto const kind = read ? boost::asio::posix::stream_descriptor::wait_read
                               : boost::asio::posix::stream_descriptor::wait_write;
        w->socket.async_wait(kind, [w, read](boost::system::error_code ec) {
            (read ? w->reading : w->writing) = false;
            if(ec || !w->ac || !(read ? w->want_read : w->want_write))
                return;
            if(read)
                redisAsyncHandleRead(w->ac);
            else
                redisAsyncHandleWrite(w->ac);
            if(w->ac && (read ? w->want_read : w->want_write))
                arm(w, read);
        });
    }

    /// hiredis's callback for a command's reply: the first waiting handler takes it.
    static void on_reply(redisAsyncContext* ac, void* reply, void*)
    {
        auto* self = static_cast<connection*>(ac->data);
        if(self->replies_.empty())
            return;
        auto handler = std::move(self->replies_.front());
        self->replies_.pop_front();
        if(!self->destroying_ && handler)
            handler(static_cast<redisReply const*>(reply));
    }

    /// hiredis's callback for what comes on a subscription.
    static void on_pubsub(redisAsyncContext* ac, void* reply, void*)
    {
        auto* self = static_cast<connection*>(ac->data);
        auto const* r = static_cast<redisReply const*>(reply);
        if(self->destroying_ || !r || r->type != REDIS_REPLY_ARRAY || r->elements < 3 ||
           r->element[0]->type != REDIS_REPLY_STRING)
            return;
        std::string_view const what(r->element[0]->str, r->element[0]->len);
        auto const* payload = r->element[2];
        if(what == "message" && payload->type == REDIS_REPLY_STRING)
            self->on_message_(std::string_view(payload->str, payload->len), false);
        else if(what == "subscribe")
            self->on_message_({}, true);
    }

    /// A reply handler that closes the connection, saying why, when the login command `name` fails.
    reply_handler login_check(char const* name)
    {
        return [this, name](redisReply const* r) {
            if(r && r->type == REDIS_REPLY_ERROR)
            {
                login_error_ = std::string(name) + " failed: " + std::string(r->str, r->len);
                close();
            }
        };
    }

    boost::asio::any_io_executor ex_;
    redisAsyncContext* ac_ = nullptr;
    std::shared_ptr<watcher> watch_;
    std::deque<reply_handler> replies_;
    std::function<void(std::string_view, bool)> on_message_;
    close_handler on_open_, on_close_;
    std::string login_error_;
    bool destroying_ = false;
};

} // namespace rtnotify::redis

#endif
