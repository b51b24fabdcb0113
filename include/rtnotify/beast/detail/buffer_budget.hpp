// The bytes every connection of a server buffers together, and their limits (`max_buffered_bytes`, and the share of one address).
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_BEAST_DETAIL_BUFFER_BUDGET_HPP
#define RTNOTIFY_BEAST_DETAIL_BUFFER_BUDGET_HPP

#include <rtnotify/beast/detail/shared_text.hpp>
#include <rtnotify/detail/shared_bytes.hpp>

#include <cstddef>
#include <string>
#include <unordered_map>

namespace rtnotify::beast::detail {

/** Counts what connections hold in memory: request bodies and WebSocket
    messages being read, frames and responses being written. A shared piece
    of text (a delivery sent on many sockets) counts once, however many
    connections hold it.

    Reading asks first (`reserve`) and is refused beyond the limit, or
    beyond the share of the client address it is read from; writing is
    counted (`hold`), and `over` tells the writer that the total is past
    the limit.
*/
class buffer_budget
{
public:
    /// A budget of `limit` bytes, of which what is read from one address may take `per_address` at most.
    buffer_budget(std::size_t limit, std::size_t per_address) : limit_(limit), per_address_(per_address) {}

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
        auto const it = reading_.find(address);
        auto const before = it == reading_.end() ? 0 : it->second;
        if(n > per_address_ || before > per_address_ - n)
            return shortage::address;
        add(n, address);
        return shortage::none;
    }

    /// Counts `n` more bytes read from `address`, past the limits if need be (bytes already read).
    void add(std::size_t n, std::string const& address)
    {
        if(n == 0)
            return;
        counted_ += n;
        reading_[address] += n;
    }

    /// Gives back `n` bytes counted by `reserve` or `add` for `address`.
    void release(std::size_t n, std::string const& address)
    {
        if(n == 0)
            return;
        counted_ -= n;
        if(auto it = reading_.find(address); it != reading_.end() && (it->second -= n) == 0)
            reading_.erase(it);
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
    bool over(std::string const& address) const
    {
        auto const it = reading_.find(address);
        return it != reading_.end() && it->second > per_address_;
    }

    std::size_t used() const noexcept { return counted_ + texts_.bytes(); }
    std::size_t limit() const noexcept { return limit_; }
    std::size_t per_address() const noexcept { return per_address_; }

private:
    std::size_t limit_;
    std::size_t per_address_;
    std::size_t counted_ = 0;            ///< by `reserve` and `add`
    std::unordered_map<std::string, std::size_t> reading_; ///< of `counted_`, per client address (none at 0)
    rtnotify::detail::shared_bytes texts_; ///< by `hold`
};

} // namespace rtnotify::beast::detail

#endif
