// The bytes every connection of a server buffers together, and their limits (`max_buffered_bytes`, and the share of one address).
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_DETAIL_BUFFER_BUDGET_HPP
#define RTNOTIFY_BEAST_DETAIL_BUFFER_BUDGET_HPP

#include <rtnotify/beast/detail/shared_text.hpp>
#include <rtnotify/detail/shared_bytes.hpp>
#include <rtnotify/session/address_counts.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <utility>

namespace rtnotify::beast::detail {

/** Counts what connections hold in memory: request bodies and WebSocket
    messages being read, frames and responses being written. A shared piece
    of text (a delivery sent on many sockets) counts once, however many
    connections hold it.

    Reading asks first (`reserve`) and is refused beyond the limit, or
    beyond the share of the client address it is read from; writing is
    counted (`hold`), and `over` tells the writer that the total is past
    the limit. What each address reads is counted in `reading`, which the
    servers of a group share so that an address's share holds for all of
    them; the rest is this server's.
*/
class buffer_budget
{
public:
    /// A budget of `limit` bytes, of which what is read from one address may take `per_address` at most
    /// (counted in `reading`; empty: a count of its own).
    buffer_budget(std::size_t limit, std::size_t per_address, std::shared_ptr<session::address_counts> reading = {})
        : limit_(limit), per_address_(per_address),
          reading_(session::shared_or_own(std::move(reading)))
    {
    }

    /// Why `reserve` refused.
    enum class shortage
    {
        none,
        server,  ///< the limit
        address, ///< the address's share
    };

    /// Counts `n` more bytes read from `address` unless that would pass the limit or the address's share.
    shortage reserve(std::size_t n, std::string const& address)
    {
        if(n > limit_ || used() > limit_ - n)
            return shortage::server;
        if(!reading_->try_add(address, per_address_, n))
            return shortage::address;
        counted_ += n;
        return shortage::none;
    }

    /// Counts `n` more bytes read from `address`, past the limits if need be (bytes already read).
    void add(std::size_t n, std::string const& address)
    {
        if(n == 0)
            return;
        counted_ += n;
        reading_->add(address, n);
    }

    /// Gives back `n` bytes counted by `reserve` or `add` for `address`.
    void release(std::size_t n, std::string const& address)
    {
        if(n == 0)
            return;
        counted_ -= n;
        reading_->remove(address, n);
    }

    /// Counts the pieces of `t` that no other holder counts yet.
    void hold(shared_text const& t)
    {
        t.for_each_piece([&](shared_text::piece const& p) { texts_.hold(p.get()); });
    }

    /// The holder of `t` is done with it.
    void unhold(shared_text const& t)
    {
        t.for_each_piece([&](shared_text::piece const& p) { texts_.unhold(p.get()); });
    }

    /// True when more is counted than the limit allows.
    bool over() const noexcept { return used() > limit_; }

    /// True when more is read from `address` than its share allows.
    bool over(std::string const& address) const { return reading_->count(address) > per_address_; }

    std::size_t used() const noexcept { return counted_ + texts_.bytes(); }
    std::size_t limit() const noexcept { return limit_; }
    std::size_t per_address() const noexcept { return per_address_; }

private:
    std::size_t limit_;
    std::size_t per_address_;
    std::size_t counted_ = 0;            ///< by `reserve` and `add`
    std::shared_ptr<session::address_counts> reading_; ///< bytes read per client address (this server's in `counted_`)
    rtnotify::detail::shared_bytes texts_; ///< by `hold`
};

} // namespace rtnotify::beast::detail

#endif
