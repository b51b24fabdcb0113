// Values kept in a Redis hash by version and writer, the newest winning in Redis itself: what several nodes share that a node starting later must find.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_REDIS_VERSIONED_HASH_HPP
#define RTNOTIFY_REDIS_VERSIONED_HASH_HPP

#include <rtnotify/redis/bus.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace rtnotify::redis {

/** A Redis hash whose fields hold versioned values, written through the
    publishing connection of a `bus`.

    A write replaces what the field holds only if it is newer: a higher
    version, or for a value (not a removal) the same version by a writer
    whose name sorts after, byte by byte; a removal never wins a tie, and an
    absent field takes any value. That is the rule of
    `rooms::document_store::apply_replica`, so the hash ends with the value
    the nodes keep, whatever order their writes reach Redis in. The
    comparison runs in Redis (a Lua script), so two nodes writing at once
    cannot undo each other. Each field holds `VERSION WRITER\n` and the value.

    Writes not yet answered are bounded (`max_pending`); past it, or with
    Redis away, a write is not made and counted (`not_stored`).
*/
class versioned_hash
{
public:
    /// The hash `key`, through `b` (which must outlive it); at most `max_pending` writes unanswered.
    versioned_hash(bus& b, std::string key, std::size_t max_pending = 10000)
        : bus_(b), key_(std::move(key)), max_pending_(max_pending)
    {
    }

    /** Makes `value` the value of `field` at `version`, written by `writer`
        (empty `value` with `remove`: removes the field), if newer than what
        Redis holds. @return false when not sent (counted in `not_stored`).
    */
    bool put(std::string_view field, std::uint64_t version, std::string_view writer, std::string_view value,
             bool remove = false)
    {
        if(pending_ >= max_pending_)
        {
            ++not_stored_;
            return false;
        }
        auto const v = std::to_string(version);
        bool const sent = bus_.command({"EVAL", script, "1", key_, field, v, writer, remove ? "remove" : "put", value},
                                       [this](redisReply const* r) {
                                           --pending_;
                                           if(!r || r->type == REDIS_REPLY_ERROR)
                                               ++not_stored_;
                                       });
        if(!sent)
        {
            ++not_stored_;
            return false;
        }
        ++pending_;
        return true;
    }

    /** Reads every field: `each(field, value)` for each (the value without
        its version line), then `done(true)`; `done(false)` alone when the
        reply is not a hash's or the connection is lost.
        @return false when Redis is unreachable (nothing is called).
    */
    bool read_all(std::function<void(std::string_view, std::string_view)> each, std::function<void(bool)> done)
    {
        return bus_.command({"HGETALL", key_}, [each = std::move(each), done = std::move(done)](redisReply const* r) {
            if(!r || r->type != REDIS_REPLY_ARRAY || r->elements % 2 != 0)
                return done(false);
            for(std::size_t i = 0; i + 1 < r->elements; i += 2)
            {
                auto const* f = r->element[i];
                auto const* v = r->element[i + 1];
                if(f->type != REDIS_REPLY_STRING || v->type != REDIS_REPLY_STRING)
                    continue;
                std::string_view const stored(v->str, v->len);
                auto const eol = stored.find('\n');
                if(eol != std::string_view::npos)
                    each(std::string_view(f->str, f->len), stored.substr(eol + 1));
            }
            done(true);
        });
    }

    /// The hash's key.
    std::string const& key() const noexcept { return key_; }

    /// Writes not made since the start: Redis away, `max_pending` reached, or an error reply.
    std::uint64_t not_stored() const noexcept { return not_stored_; }

private:
    /// KEYS[1] the hash; ARGV: field, version, writer, "put" or "remove", value. Returns 1 when it wrote.
    static constexpr std::string_view script = R"lua(
local function after(a, b)
  local n = math.min(#a, #b)
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x > y end
  end
  return #a > #b
end
local version = tonumber(ARGV[2])
local held = redis.call('HGET', KEYS[1], ARGV[1])
if held then
  local v, w = string.match(held, '^(%d+) ([^\n]*)\n')
  v = tonumber(v) or 0
  w = w or ''
  if ARGV[4] == 'remove' then
    if version > v then redis.call('HDEL', KEYS[1], ARGV[1]) return 1 end
    return 0
  end
  if version < v or (version == v and not after(ARGV[3], w)) then return 0 end
elseif ARGV[4] == 'remove' then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ' ' .. ARGV[3] .. '\n' .. ARGV[5])
return 1
)lua";

    bus& bus_;
    std::string key_;
    std::size_t max_pending_;
    std::size_t pending_ = 0;
    std::uint64_t not_stored_ = 0;
};

} // namespace rtnotify::redis

#endif
