using System.Collections.Concurrent;

namespace ZImageSharp.Server.Jobs;

/// <summary>
/// Jobs and their images, in memory. A finished job (and its images) is dropped <see cref="Ttl"/> after it finished:
/// every lookup checks the clock, and <see cref="Sweep"/> (run periodically) frees what nobody asks for any more.
/// </summary>
/// <param name="time">The clock (tests move a manual one past the TTL).</param>
/// <param name="ttl">How long finished jobs stay.</param>
public sealed class JobStore(TimeProvider time, TimeSpan ttl)
{
    private readonly ConcurrentDictionary<string, GenerationJob> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StoredImage> _images = new(StringComparer.Ordinal);

    /// <summary>How long finished jobs stay.</summary>
    public TimeSpan Ttl { get; } = ttl;

    /// <summary>Jobs held (any state).</summary>
    public int JobCount => _jobs.Count;

    /// <summary>Images held.</summary>
    public int ImageCount => _images.Count;

    /// <summary>Bytes of PNG held.</summary>
    public long ImageBytes => _images.Values.Sum(i => (long)i.Png.Length);

    /// <summary>Adds a new job.</summary>
    public void Add(GenerationJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (!_jobs.TryAdd(job.Id, job))
        {
            throw new InvalidOperationException($"job id {job.Id} is already in use.");
        }
    }

    /// <summary>Adds the images of a job that is about to complete.</summary>
    public void AddImages(IEnumerable<StoredImage> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        foreach (StoredImage image in images)
        {
            _images[image.Id] = image;
        }
    }

    /// <summary>Removes a job that never became visible (refused by a full queue).</summary>
    public void Remove(GenerationJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (_jobs.TryRemove(new KeyValuePair<string, GenerationJob>(job.Id, job)))
        {
            job.Dispose();
        }
    }

    /// <summary>Removes images that will never be shown (their job was cancelled while they were encoded).</summary>
    public void RemoveImages(IEnumerable<StoredImage> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        foreach (StoredImage image in images)
        {
            _images.TryRemove(image.Id, out _);
        }
    }

    /// <summary>Finds a job that has not expired.</summary>
    public bool TryGet(string id, out GenerationJob job)
    {
        if (_jobs.TryGetValue(id, out GenerationJob? found) && !Expire(found))
        {
            job = found;
            return true;
        }

        job = null!;
        return false;
    }

    /// <summary>Finds an image whose job has not expired.</summary>
    public bool TryGetImage(string id, out StoredImage image)
    {
        if (_images.TryGetValue(id, out StoredImage? found) && _jobs.TryGetValue(found.JobId, out GenerationJob? job) && !Expire(job))
        {
            image = found;
            return true;
        }

        image = null!;
        return false;
    }

    /// <summary>Removes everything whose TTL has passed; returns the number of jobs removed.</summary>
    public int Sweep() => _jobs.Values.Count(Expire);

    /// <summary>Removes <paramref name="job"/> and its images when its TTL has passed; true when it did.</summary>
    private bool Expire(GenerationJob job)
    {
        if (job.FinishedAt is not { } finished || time.GetUtcNow() < finished + Ttl)
        {
            return false;
        }

        if (_jobs.TryRemove(new KeyValuePair<string, GenerationJob>(job.Id, job)))
        {
            foreach (StoredImage image in job.Images)
            {
                _images.TryRemove(image.Id, out _);
            }

            job.Dispose();
        }

        return true;
    }
}
