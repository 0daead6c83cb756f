namespace TrainingApis.Redis;

/// <summary>
/// The Lua scripts of the shared quota. Time is the server's <c>TIME</c>, so the instances' clocks never matter. In
/// milliseconds, rounded to the safe side: a permit's end is rounded up (<c>stamp</c>), the present down (<c>now</c>), so
/// a permit never stops counting before one full window (a rounded-down release let a permit free up to 1 ms early).
/// KEYS: 1 = permits (sorted set: one member per permit, score = the millisecond it stops counting), 2 = waiting list
/// (sorted set: member = waiter, score = ticket), 3 = the waiters' heartbeats (score = when a silent waiter is dropped),
/// 4 = the ticket counter, 5 = the limits in force (hash: <c>limit</c>, <c>window</c> ms): when clients of one partition
/// ask for different limits, the strictest applies to all of them (the smaller limit over the longer window, which keeps
/// both), as long as the partition is in use.
/// </summary>
internal static class RedisQuotaScripts
{
    /// <summary>
    /// ARGV: limit, permits wanted, waiter id, pending score offset (ms), window (ms), waiting-list time to live (ms),
    /// and optionally <c>try</c> (only an immediate grant: otherwise returns {0, -1} and changes nothing). The limit and
    /// window are first tightened to those in force (KEYS[5]), and every answer ends with the limit and window applied.
    /// Grants when the permits counting now, plus those wanted by the waiters ahead, leave room: each permit is added
    /// with a far-future score (the lease time to live plus the window) until its release rescores it. Otherwise, when
    /// the permit whose end makes room for this waiter's place has been released (its end is known, at most one window
    /// away), grants a reservation: the permits are added now, start when that one ends, and the caller waits until then
    /// without asking again (every permit counting after that start was counted, so the limit holds at every instant).
    /// Otherwise joins (or stays in) the waiting list: the permits it waits for are still in flight, and a release is
    /// announced on the channel. Returns {1, 0} (granted), {1, delay ms} (reserved: send after the delay) or
    /// {0, wait ms} (look again after a release, or after the wait at the latest).
    /// </summary>
    public const string Acquire = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local stamp = tonumber(t[1]) * 1000 + math.ceil(tonumber(t[2]) / 1000)
        local limit = tonumber(ARGV[1])
        local n = tonumber(ARGV[2])
        local id = ARGV[3]
        local window = tonumber(ARGV[5])
        local queueTtl = tonumber(ARGV[6])
        local inForce = redis.call('HMGET', KEYS[5], 'limit', 'window')
        if inForce[1] and tonumber(inForce[1]) < limit then limit = tonumber(inForce[1]) end
        if inForce[2] and tonumber(inForce[2]) > window then window = tonumber(inForce[2]) end
        local pending = tonumber(ARGV[4]) - tonumber(ARGV[5]) + window
        redis.call('HSET', KEYS[5], 'limit', limit, 'window', window)
        if redis.call('PTTL', KEYS[5]) < pending + window then
          redis.call('PEXPIRE', KEYS[5], pending + window)
        end
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        local stale = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)
        for i = 1, #stale do
          redis.call('ZREM', KEYS[2], stale[i])
          redis.call('ZREM', KEYS[3], stale[i])
        end
        local used = redis.call('ZCARD', KEYS[1])
        local rank = redis.call('ZRANK', KEYS[2], id)
        local ahead = rank
        if not ahead then ahead = redis.call('ZCARD', KEYS[2]) end
        if used + ahead + n <= limit then
          for i = 1, n do
            redis.call('ZADD', KEYS[1], stamp + pending, id .. ':' .. i)
          end
          redis.call('PEXPIRE', KEYS[1], pending + window)
          if rank then
            redis.call('ZREM', KEYS[2], id)
            redis.call('ZREM', KEYS[3], id)
          end
          return {1, 0, limit, window}
        end
        if ARGV[7] == 'try' then return {0, -1, limit, window} end
        local need = used + ahead + n - limit
        local entry = redis.call('ZRANGE', KEYS[1], need - 1, need - 1, 'WITHSCORES')
        if entry[2] then
          local start = tonumber(entry[2])
          if start - now <= window then
            for i = 1, n do
              redis.call('ZADD', KEYS[1], start + pending, id .. ':' .. i)
            end
            if redis.call('PTTL', KEYS[1]) < start - now + pending + window then
              redis.call('PEXPIRE', KEYS[1], start - now + pending + window)
            end
            if rank then
              redis.call('ZREM', KEYS[2], id)
              redis.call('ZREM', KEYS[3], id)
            end
            return {1, start - now, limit, window}
          end
        end
        if not rank then
          redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[4]), id)
        end
        redis.call('ZADD', KEYS[3], now + queueTtl, id)
        redis.call('PEXPIRE', KEYS[2], queueTtl)
        redis.call('PEXPIRE', KEYS[3], queueTtl)
        redis.call('PEXPIRE', KEYS[4], queueTtl)
        return {0, window, limit, window}
        """;

    /// <summary>
    /// ARGV: waiter id, permits, window (ms). The request completed: its permits count one window from now. A release
    /// that comes after its pending permit expired (a request that outlived its attempt timeout) still adds the permit
    /// for one window, and the set lives at least that long. Also seeds the permits an instance granted locally during
    /// an outage, so that the shared quota knows them when Redis is back. KEYS: 1 = permits, 2 = the limits in force
    /// (a longer window in force applies).
    /// </summary>
    public const string Release = """
        local t = redis.call('TIME')
        local stamp = tonumber(t[1]) * 1000 + math.ceil(tonumber(t[2]) / 1000)
        local window = tonumber(ARGV[3])
        local inForce = tonumber(redis.call('HGET', KEYS[2], 'window'))
        if inForce and inForce > window then window = inForce end
        for i = 1, tonumber(ARGV[2]) do
          redis.call('ZADD', KEYS[1], stamp + window, ARGV[1] .. ':' .. i)
        end
        if redis.call('PTTL', KEYS[1]) < window + 1000 then
          redis.call('PEXPIRE', KEYS[1], window + 1000)
        end
        return 1
        """;

    /// <summary>
    /// ARGV: waiter id, permits, pending (ms), window (ms). The request is still in flight: its permits count until
    /// <c>pending</c> from now at least (re-added if they had expired). Only KEYS[1] is used.
    /// </summary>
    public const string Renew = """
        local t = redis.call('TIME')
        local stamp = tonumber(t[1]) * 1000 + math.ceil(tonumber(t[2]) / 1000)
        local pending = tonumber(ARGV[3])
        for i = 1, tonumber(ARGV[2]) do
          local member = ARGV[1] .. ':' .. i
          local score = redis.call('ZSCORE', KEYS[1], member)
          if not score or tonumber(score) < stamp + pending then
            redis.call('ZADD', KEYS[1], stamp + pending, member)
          end
        end
        if redis.call('PTTL', KEYS[1]) < pending + tonumber(ARGV[4]) then
          redis.call('PEXPIRE', KEYS[1], pending + tonumber(ARGV[4]))
        end
        return 1
        """;
}
