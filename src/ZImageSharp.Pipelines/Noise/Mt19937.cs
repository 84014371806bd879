namespace ZImageSharp.Pipelines.Noise;

/// <summary>
/// The 32-bit Mersenne Twister MT19937 (M. Matsumoto and T. Nishimura, 1998, with the 2002 initialisation
/// <c>init_genrand</c>), written from the published algorithm. PyTorch's CPU generator (<c>at::mt19937</c>) is this
/// generator with a 32-bit seed, so the same seed gives the same stream of words.
/// </summary>
internal sealed class Mt19937
{
    private const int N = 624;
    private const int M = 397;
    private const uint MatrixA = 0x9908B0DF;
    private const uint UpperMask = 0x80000000;
    private const uint LowerMask = 0x7FFFFFFF;

    private readonly uint[] _state = new uint[N];

    // Index of the next state word to temper; N means the block is used up and must be regenerated first.
    private int _index;

    /// <summary>Seeds with <c>init_genrand(seed)</c>.</summary>
    public Mt19937(uint seed) => Seed(seed);

    /// <summary>Re-initialises the state from a 32-bit seed (<c>init_genrand</c>).</summary>
    public void Seed(uint seed)
    {
        _state[0] = seed;
        for (int i = 1; i < N; i++)
        {
            uint previous = _state[i - 1];
            _state[i] = unchecked((1812433253u * (previous ^ (previous >> 30))) + (uint)i);
        }

        // The first draw regenerates the whole block, as the reference does (its "left = 1" after seeding).
        _index = N;
    }

    /// <summary>The next 32-bit output word.</summary>
    public uint Next()
    {
        if (_index == N)
        {
            Regenerate();
        }

        uint y = _state[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9D2C5680;
        y ^= (y << 15) & 0xEFC60000;
        y ^= y >> 18;
        return y;
    }

    // One pass of the twist over the whole state, in place: words before i are already new, as in the reference.
    private void Regenerate()
    {
        for (int i = 0; i < N; i++)
        {
            uint y = (_state[i] & UpperMask) | (_state[(i + 1) % N] & LowerMask);
            uint twisted = (y >> 1) ^ ((y & 1) != 0 ? MatrixA : 0);
            _state[i] = _state[(i + M) % N] ^ twisted;
        }

        _index = 0;
    }
}
