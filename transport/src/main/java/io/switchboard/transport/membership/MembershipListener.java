package io.switchboard.transport.membership;

/**
 * Told of members joining and leaving. Called on Curator's event thread: implementations hand the change to the
 * thread that owns the state they affect (the node agent) rather than touching it here.
 */
public interface MembershipListener
{
    /**
     * @param member registered (or re-registered with new data).
     */
    void onMemberUp(Member member);

    /**
     * @param member whose registration disappeared (left, or its session expired).
     */
    void onMemberDown(Member member);
}
